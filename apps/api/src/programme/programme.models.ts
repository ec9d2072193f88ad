import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { OrderCategoryEnum, PartyEnum } from '../graphql/enums.js';
import { IsoDateScalar } from '../graphql/scalars.js';
import { TestModeEnum } from '../orders/order.models.js';

export enum DurationSourceEnum {
  SUPPLIER_HISTORY = 'SUPPLIER_HISTORY',
  PROGRAMME_HISTORY = 'PROGRAMME_HISTORY',
  DEADLINE_POLICY = 'DEADLINE_POLICY',
}
registerEnumType(DurationSourceEnum, {
  name: 'DurationSource',
  description: "Where a forecast step's typical duration comes from.",
  valuesMap: {
    SUPPLIER_HISTORY: { description: "The median of this supplier's own answered waits (at least 3)." },
    PROGRAMME_HISTORY: {
      description:
        "The median of the programme's completed stays in the state (at least 3); for a supplier wait, every supplier's.",
    },
    DEADLINE_POLICY: {
      description:
        "Fallback while history is thin: the state's deadline in business days (DEADLINE_POLICIES).",
    },
  },
});

export enum ForecastStatusEnum {
  FORECAST = 'FORECAST',
  LIVE = 'LIVE',
  ON_HOLD = 'ON_HOLD',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ForecastStatusEnum, {
  name: 'ForecastStatus',
  description: 'FORECAST: a date is forecast; LIVE: the live date; ON_HOLD and CANCELLED: no date.',
});

/**
 * The order a programme figure is about, named the same way in every view (forecast, test
 * strategy, status report). Abstract: its fields appear in each type that extends it.
 */
@ObjectType({ isAbstract: true })
export class ProgrammeOrderRefModel {
  @Field(() => ID)
  orderId: string;

  @Field()
  reference: string;

  @Field()
  interfaceKey: string;
}

/** An order named with the state it is in (dotted state path). */
@ObjectType({ isAbstract: true })
export class ProgrammeOrderInStateModel extends ProgrammeOrderRefModel {
  @Field()
  state: string;
}

@ObjectType('ForecastStep', { description: 'One state still ahead of an order, with its expected end.' })
export class ForecastStepModel {
  @Field({ description: 'Dotted state path.' })
  state: string;

  @Field(() => ID, {
    nullable: true,
    description: 'For the supplier wait: the supplier whose waits were measured.',
  })
  supplierId: string | null;

  @Field(() => Int, {
    description: 'Business days this step is expected to take; for the current state, what remains of it.',
  })
  businessDays: number;

  @Field(() => Int, {
    description: "The state's typical duration in business days (the median, rounded up).",
  })
  typicalBusinessDays: number;

  @Field(() => DurationSourceEnum)
  source: DurationSourceEnum;

  @Field(() => Int, { description: 'Measured stays the typical duration rests on (0 for DEADLINE_POLICY).' })
  samples: number;

  @Field(() => IsoDateScalar, { description: 'The local date (Copenhagen) the step is expected to end.' })
  expectedEnd: string;
}

@ObjectType('GoLiveForecast', {
  description:
    "When an order is expected live: from its current state, each remaining state's typical business-day duration measured from this programme's history (per supplier for its waits; fallback: every supplier's, then the state's deadline) and the Danish business calendar. Rules: libs/programme/src/forecast.ts.",
})
export class GoLiveForecastModel extends ProgrammeOrderInStateModel {
  @Field(() => ForecastStatusEnum)
  status: ForecastStatusEnum;

  @Field(() => IsoDateScalar, { nullable: true, description: 'Null on hold or cancelled.' })
  expectedLiveDate: string | null;

  @Field(() => IsoDateScalar, {
    nullable: true,
    description: "The consolidated need-by date, or before consolidation the earliest active request's.",
  })
  needBy: string | null;

  @Field({ description: 'The forecast falls after the need-by date.' })
  lateForNeedBy: boolean;

  @Field(() => [ForecastStepModel])
  steps: ForecastStepModel[];
}

@ObjectType('ProjectGoLiveForecast', { description: 'When all of a project’s interfaces are expected live.' })
export class ProjectGoLiveForecastModel {
  @Field(() => ID)
  projectId: string;

  @Field()
  projectCode: string;

  @Field()
  projectName: string;

  @Field(() => IsoDateScalar, {
    nullable: true,
    description:
      'The latest expected live date of the orders it has active requests on; null when one of them has no forecast (on hold) or it has none.',
  })
  allLiveBy: string | null;

  @Field(() => Int)
  orders: number;

  @Field(() => Int, { description: 'Of those, forecast after their need-by date.' })
  late: number;

  @Field(() => Int, { description: 'Of those, without a forecast (on hold).' })
  withoutForecast: number;
}

@ObjectType('ProgrammeForecast')
export class ProgrammeForecastModel {
  @Field(() => [GoLiveForecastModel], { description: 'Every order, by interface key.' })
  orders: GoLiveForecastModel[];

  @Field(() => [ProjectGoLiveForecastModel], { description: 'Every project, in playbook column order.' })
  projects: ProjectGoLiveForecastModel[];
}

// ── test strategy ──────────────────────────────────────────────────────────

@ObjectType('SharedTestCandidate', {
  description: 'An interface more than one project tests, and whether one shared test would do.',
})
export class SharedTestCandidateModel extends ProgrammeOrderInStateModel {
  @Field(() => [String], {
    description:
      "Codes of the projects that test it: the test plan's participants, before a plan the requesting projects.",
  })
  projectCodes: string[];

  @Field(() => TestModeEnum, { nullable: true, description: "The test plan's mode; null before a plan." })
  mode: TestModeEnum | null;

  @Field({
    description:
      'True when every one of these projects asks for the same data elements: one test of the one web service covers all of them.',
  })
  sharedTestWouldDo: boolean;

  @Field(() => [String], { description: 'Data elements not every one of these projects asks for.' })
  differingElements: string[];
}

@ObjectType('OrderNearTest', {
  description: 'An order whose next step is the test, with nobody named to test it.',
})
export class OrderNearTestModel extends ProgrammeOrderInStateModel {}

@ObjectType('TestWindow')
export class TestWindowModel {
  @Field(() => ID)
  orderId: string;

  @Field()
  interfaceKey: string;

  @Field(() => IsoDateScalar)
  windowStart: string;

  @Field(() => IsoDateScalar)
  windowEnd: string;
}

@ObjectType('OverlappingTestWindows', { description: 'Two test windows of one project that share days.' })
export class OverlappingTestWindowsModel {
  @Field()
  projectCode: string;

  @Field(() => TestWindowModel)
  first: TestWindowModel;

  @Field(() => TestWindowModel)
  second: TestWindowModel;

  @Field(() => IsoDateScalar)
  overlapStart: string;

  @Field(() => IsoDateScalar)
  overlapEnd: string;
}

@ObjectType('MonthlyTestLoad', { description: "A project's test windows that touch one month." })
export class MonthlyTestLoadModel {
  @Field()
  projectCode: string;

  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => Int)
  tests: number;

  @Field(() => [String])
  interfaceKeys: string[];
}

@ObjectType('TestStrategy', {
  description:
    "The deck's test questions for the whole programme (orders live, cancelled or with a passed test are done testing and left out).",
})
export class TestStrategyModel {
  @Field(() => [SharedTestCandidateModel])
  testedByMoreThanOneProject: SharedTestCandidateModel[];

  @Field(() => [OrderNearTestModel], {
    description:
      'Orders agreed with the supplier or in plan B (next: the test) without a test plan naming who is responsible.',
  })
  nearTestWithoutResponsible: OrderNearTestModel[];

  @Field(() => [OverlappingTestWindowsModel], {
    description:
      'Test windows of one project that overlap (plans in test.planning or test.running, or ahead).',
  })
  overlappingWindows: OverlappingTestWindowsModel[];

  @Field(() => [MonthlyTestLoadModel])
  loadPerMonth: MonthlyTestLoadModel[];
}

// ── status report ──────────────────────────────────────────────────────────

@ObjectType('ReportHappening', { description: 'One event of the period: an order and when.' })
export class ReportHappeningModel extends ProgrammeOrderRefModel {
  @Field()
  at: Date;

  @Field(() => String, {
    nullable: true,
    description: "The event's text, where it has one: a decline's or cancellation's reason, the live date.",
  })
  detail: string | null;
}

@ObjectType('ReportPlanB', { description: 'A plan B started in the period, with its reasons.' })
export class ReportPlanBModel extends ReportHappeningModel {
  @Field({ description: 'OTHER_SOURCE, WORKAROUND or REDUCED_SCOPE.' })
  kind: string;

  @Field(() => String, {
    nullable: true,
    description: "The supplier's reason when plan B followed its decline.",
  })
  declineReason: string | null;

  @Field({ description: 'The state plan B was started from.' })
  fromState: string;
}

@ObjectType('ReportMissedDeadline', {
  description:
    "A deadline that passed in the period while the order was still in the state (as the deadline rules set it on entering, or as extended; computed with today's policies).",
})
export class ReportMissedDeadlineModel extends ProgrammeOrderInStateModel {
  @Field()
  dueAt: Date;

  @Field(() => String, { nullable: true, description: 'For a supplier wait: the supplier.' })
  supplierName: string | null;
}

@ObjectType('SinceLastTime', {
  description:
    'What happened in the period, from the order history ("Siden sidst"). Lists: one entry per event, oldest first.',
})
export class SinceLastTimeModel {
  @Field(() => Int, { description: 'New requests received.' })
  requestsReceived: number;

  @Field(() => Int, { description: 'Requests changed by their project, to be reviewed again.' })
  requestsChanged: number;

  @Field(() => Int)
  requestsWithdrawn: number;

  @Field(() => Int, { description: 'Quality reviews that approved a request.' })
  requestsApproved: number;

  @Field(() => Int, { description: 'Quality reviews that sent a request back for changes.' })
  requestsSentBack: number;

  @Field(() => Int)
  requestsRejected: number;

  @Field(() => [ReportHappeningModel])
  consolidated: ReportHappeningModel[];

  @Field(() => [ReportHappeningModel])
  sentToSupplier: ReportHappeningModel[];

  @Field(() => [ReportHappeningModel], { description: 'Orders that reached agreement with the supplier.' })
  agreed: ReportHappeningModel[];

  @Field(() => [ReportHappeningModel])
  declined: ReportHappeningModel[];

  @Field(() => [ReportPlanBModel])
  planBsStarted: ReportPlanBModel[];

  @Field(() => [ReportHappeningModel])
  testsStarted: ReportHappeningModel[];

  @Field(() => [ReportHappeningModel])
  testsPassed: ReportHappeningModel[];

  @Field(() => [ReportHappeningModel])
  wentLive: ReportHappeningModel[];

  @Field(() => [ReportHappeningModel])
  cancelled: ReportHappeningModel[];

  @Field(() => [ReportMissedDeadlineModel])
  deadlinesMissed: ReportMissedDeadlineModel[];
}

@ObjectType('StateCount')
export class StateCountModel {
  @Field()
  state: string;

  @Field(() => Int)
  count: number;
}

@ObjectType('CategoryCount')
export class CategoryCountModel {
  @Field(() => OrderCategoryEnum, { nullable: true, description: 'Null: not consolidated yet.' })
  category: OrderCategoryEnum | null;

  @Field(() => Int)
  count: number;
}

@ObjectType('SupplierCount')
export class SupplierCountModel {
  @Field(() => ID)
  supplierId: string;

  @Field()
  supplierName: string;

  @Field(() => Int)
  count: number;
}

@ObjectType('BallCount')
export class BallCountModel {
  @Field(() => PartyEnum)
  ballInCourt: PartyEnum;

  @Field(() => Int)
  count: number;
}

@ObjectType('ConsolidationFigures', {
  description: 'Requests received against orders after consolidation: each web service bought once.',
})
export class ConsolidationFiguresModel {
  @Field(() => Int, { description: 'Every request received, whatever became of it.' })
  requestsReceived: number;

  @Field(() => Int, { description: 'Requests not rejected or withdrawn.' })
  activeRequests: number;

  @Field(() => Int, { description: 'Orders with an active request, cancelled ones left out.' })
  orders: number;

  @Field(() => Int, { description: 'Of those, consolidated into one specification (past ordered).' })
  consolidatedOrders: number;

  @Field(() => Int, {
    description:
      'Web services bought once instead of once per project: per consolidated order, its projects less one.',
  })
  purchasesSaved: number;
}

@ObjectType('SupplierAnswerTime', {
  description: 'Business days from an order (or new round) reaching the supplier to its answer.',
})
export class SupplierAnswerTimeModel {
  @Field(() => ID)
  supplierId: string;

  @Field()
  supplierName: string;

  @Field(() => Int)
  answered: number;

  @Field(() => Number, { nullable: true })
  medianBusinessDays: number | null;

  @Field(() => Int, { nullable: true, description: '90th percentile (nearest rank).' })
  p90BusinessDays: number | null;
}

@ObjectType('StatusReport', {
  description:
    'The programme\'s status for a steering-group meeting. "Since last time" covers the period; every other figure is as of now (generatedAt).',
})
export class StatusReportModel {
  @Field(() => IsoDateScalar, { description: 'First day of the period (Copenhagen), inclusive.' })
  since: string;

  @Field(() => IsoDateScalar, { description: 'Last day of the period, inclusive.' })
  until: string;

  @Field()
  generatedAt: Date;

  @Field(() => SinceLastTimeModel)
  sinceLastTime: SinceLastTimeModel;

  @Field(() => [StateCountModel], { description: 'Orders by state now, most first.' })
  ordersByState: StateCountModel[];

  @Field(() => [CategoryCountModel])
  ordersByCategory: CategoryCountModel[];

  @Field(() => ConsolidationFiguresModel)
  consolidation: ConsolidationFiguresModel;

  @Field(() => [SupplierCountModel], {
    description: 'Open orders past their deadline, by the supplier negotiated with.',
  })
  overdueBySupplier: SupplierCountModel[];

  @Field(() => [BallCountModel], { description: 'Open orders past their deadline, by who holds the ball.' })
  overdueByBall: BallCountModel[];

  @Field(() => [SupplierAnswerTimeModel], { description: 'Suppliers that have answered at least once.' })
  supplierAnswerTimes: SupplierAnswerTimeModel[];

  @Field(() => ProgrammeForecastModel)
  forecast: ProgrammeForecastModel;

  @Field(() => TestStrategyModel)
  testStrategy: TestStrategyModel;
}
