import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { OrderCategoryEnum, PartyEnum, ResponsibleOrganisationEnum } from '../graphql/enums.js';
import { PageInfo } from '../graphql/pagination.js';
import { BigIntScalar, IsoDateScalar } from '../graphql/scalars.js';

export enum PlanBKindEnum {
  OTHER_SOURCE = 'OTHER_SOURCE',
  WORKAROUND = 'WORKAROUND',
  REDUCED_SCOPE = 'REDUCED_SCOPE',
}
registerEnumType(PlanBKindEnum, { name: 'PlanBKind' });

export enum TestResponsibleEnum {
  SUPPLIER = 'SUPPLIER',
  KOMBIT = 'KOMBIT',
  PROJECT = 'PROJECT',
}
registerEnumType(TestResponsibleEnum, { name: 'TestResponsible' });

export enum TestModeEnum {
  SHARED = 'SHARED',
  PER_PROJECT = 'PER_PROJECT',
}
registerEnumType(TestModeEnum, {
  name: 'TestMode',
  description: 'One shared test for all projects, or each project tests for itself.',
});

export enum TestOutcomeEnum {
  PASSED = 'PASSED',
  FAILED = 'FAILED',
}
registerEnumType(TestOutcomeEnum, { name: 'TestOutcome' });

export enum AmendmentChangeEnum {
  submitted = 'submitted',
  resubmitted = 'resubmitted',
  withdrawn = 'withdrawn',
}
registerEnumType(AmendmentChangeEnum, { name: 'AmendmentChange' });

export enum ScopeResponseKindEnum {
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  OBJECTED = 'OBJECTED',
}
registerEnumType(ScopeResponseKindEnum, {
  name: 'ScopeResponseKind',
  description: "A project's answer to a reduced scope: it acknowledges, or objects (with a comment).",
});

@ObjectType('ResponsibleParties', { description: 'Who negotiates, buys and pays, decided by the category.' })
export class ResponsiblePartiesModel {
  @Field(() => ResponsibleOrganisationEnum)
  negotiates: ResponsibleOrganisationEnum;

  @Field(() => ResponsibleOrganisationEnum)
  buys: ResponsibleOrganisationEnum;

  @Field(() => ResponsibleOrganisationEnum)
  pays: ResponsibleOrganisationEnum;
}

@ObjectType('OrderSpecification', { description: 'The consolidated order: one web service, paid for once.' })
export class OrderSpecificationModel {
  @Field(() => [String])
  dataElements: string[];

  @Field(() => IsoDateScalar, { description: 'The earliest need-by date of the approved requests.' })
  needBy: string;

  @Field(() => [ID])
  projectIds: string[];

  @Field(() => [ID])
  requestIds: string[];
}

@ObjectType('Terms', { description: 'Terms proposed by the supplier or countered by the coordinators.' })
export class TermsModel {
  @Field(() => BigIntScalar, { nullable: true, description: 'Price in integer øre.' })
  priceOere: string | null;

  @Field(() => IsoDateScalar, { nullable: true })
  deliveryDate: string | null;

  @Field(() => String, { nullable: true })
  conditions: string | null;
}

@ObjectType('Negotiation')
export class NegotiationModel {
  @Field(() => Int, {
    description:
      '1 for the first send; +1 each time the supplier is asked to answer again (counter-proposal, answer to its question, fix, new send).',
  })
  round: number;

  @Field(() => ID)
  supplierId: string;

  @Field(() => [ID])
  recipientContactIds: string[];

  @Field(() => IsoDateScalar, { nullable: true })
  replyBy: string | null;

  @Field(() => SpecificationChangeModel, {
    nullable: true,
    description:
      'For a round that sent an amended specification (sendAmendment): what it changed. Null otherwise.',
  })
  change: SpecificationChangeModel | null;
}

@ObjectType('NeedByMove')
export class NeedByMoveModel {
  @Field(() => IsoDateScalar)
  from: string;

  @Field(() => IsoDateScalar)
  to: string;
}

@ObjectType('SpecificationChange', {
  description: 'What an amended specification changes against the one the supplier had before.',
})
export class SpecificationChangeModel {
  @Field(() => [String], { description: 'Data element codes added, sorted.' })
  added: string[];

  @Field(() => [String], { description: 'Data element codes removed, sorted.' })
  removed: string[];

  @Field(() => NeedByMoveModel, { nullable: true, description: 'Null when the need-by date did not move.' })
  needBy: NeedByMoveModel | null;
}

@ObjectType('ScopeResponse')
export class ScopeResponseModel {
  @Field(() => ID)
  projectId: string;

  @Field(() => ScopeResponseKindEnum)
  response: ScopeResponseKindEnum;

  @Field(() => String, { nullable: true, description: 'Required for an objection.' })
  comment: string | null;

  @Field()
  at: Date;
}

@ObjectType('ScopeReduction', {
  description:
    'A plan B with a reduced scope: the data elements it dropped from the specification, and the answers of the projects whose request asked for one.',
})
export class ScopeReductionModel {
  @Field(() => [String])
  droppedDataElements: string[];

  @Field(() => [ID], {
    description: 'Projects that must acknowledge or object (their request lost an element).',
  })
  projectIds: string[];

  @Field(() => [ID], { description: 'Those of projectIds that have not answered yet.' })
  awaitingProjectIds: string[];

  @Field(() => [ScopeResponseModel], { description: 'The answers so far, in projectIds order.' })
  responses: ScopeResponseModel[];

  @Field()
  at: Date;
}

@ObjectType('PlanB')
export class PlanBModel {
  @Field(() => PlanBKindEnum)
  kind: PlanBKindEnum;

  @Field()
  description: string;

  @Field(() => ID, { nullable: true })
  alternativeSupplierId: string | null;
}

@ObjectType('TestPlan')
export class TestPlanModel {
  @Field(() => TestResponsibleEnum)
  responsible: TestResponsibleEnum;

  @Field(() => TestModeEnum)
  mode: TestModeEnum;

  @Field(() => [ID])
  participantProjectIds: string[];

  @Field(() => IsoDateScalar)
  windowStart: string;

  @Field(() => IsoDateScalar)
  windowEnd: string;
}

@ObjectType('TestResult')
export class TestResultModel {
  @Field(() => ID)
  projectId: string;

  @Field(() => TestOutcomeEnum)
  outcome: TestOutcomeEnum;

  @Field(() => String, { nullable: true })
  notes: string | null;

  @Field()
  recordedAt: Date;
}

@ObjectType('Amendment', {
  description: 'A request change after the supplier was engaged: a change to negotiate.',
})
export class AmendmentModel {
  @Field(() => ID)
  requestId: string;

  @Field(() => AmendmentChangeEnum)
  change: AmendmentChangeEnum;

  @Field()
  at: Date;

  @Field(() => [String], {
    nullable: true,
    description:
      "The request's data elements before this change; null for a new request. A request's first pending amendment holds what the specification was built from, which turning the change down restores.",
  })
  previousDataElements: string[] | null;

  @Field(() => IsoDateScalar, {
    nullable: true,
    description: 'Its need-by date before the change, likewise.',
  })
  previousNeedBy: string | null;
}

@ObjectType('OrderEvent', { description: 'One accepted event in an order history.' })
export class OrderEventModel {
  @Field(() => Int, { description: 'The order version this event produced (1, 2, 3 … without gaps).' })
  version: number;

  @Field({ description: "The machine's event type, e.g. SEND_TO_SUPPLIER." })
  type: string;

  @Field()
  actorId: string;

  @Field()
  actorRole: string;

  @Field(() => String, { nullable: true })
  actorName: string | null;

  @Field()
  fromState: string;

  @Field()
  toState: string;

  @Field({ description: 'The event payload as JSON text ("{}" when redacted).' })
  payload: string;

  @Field({
    description:
      "True when the event concerns another project's request or result: a project user sees that it happened and when, not its payload or who did it.",
  })
  redacted: boolean;

  @Field()
  occurredAt: Date;
}

@ObjectType('InterfaceOrder', {
  description: 'The one consolidated order of an interface, with its lifecycle.',
})
export class InterfaceOrderModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Human reference for emails and calls, e.g. B-00042.' })
  reference: string;

  interfaceId: string;
  supplierId: string;

  @Field({ description: 'The state as a dotted path, e.g. "negotiation.awaitingSupplier".' })
  state: string;

  @Field(() => Int)
  version: number;

  @Field(() => Int, { description: 'The lifecycle machine version of the stored snapshot.' })
  machineVersion: number;

  @Field(() => OrderCategoryEnum, { nullable: true })
  category: OrderCategoryEnum | null;

  @Field(() => ResponsiblePartiesModel, { nullable: true, description: 'Known once a category is set.' })
  responsibleParties: ResponsiblePartiesModel | null;

  @Field(() => PartyEnum)
  ballInCourt: PartyEnum;

  @Field(() => Date, { nullable: true, description: 'Deadline of the current state, when it has one.' })
  dueAt: Date | null;

  @Field({ description: 'When the order entered its current state.' })
  stateEnteredAt: Date;

  @Field(() => Int, {
    nullable: true,
    description: 'Danish business days past the deadline (0 when overdue by hours); null when not overdue.',
  })
  businessDaysOverdue: number | null;

  @Field(() => Int, {
    description: '0, or how many times the current wait was escalated to the coordinators.',
  })
  escalationLevel: number;

  @Field({ description: 'Escalated to the coordinators while waiting in the current state.' })
  escalated: boolean;

  @Field(() => OrderSpecificationModel, { nullable: true })
  specification: OrderSpecificationModel | null;

  @Field(() => NegotiationModel, { nullable: true })
  negotiation: NegotiationModel | null;

  @Field(() => TermsModel, { nullable: true, description: 'The terms on the table.' })
  proposal: TermsModel | null;

  @Field(() => TermsModel, { nullable: true })
  agreedTerms: TermsModel | null;

  @Field(() => String, { nullable: true })
  openQuestion: string | null;

  @Field(() => String, { nullable: true })
  declineReason: string | null;

  @Field(() => PlanBModel, { nullable: true })
  planB: PlanBModel | null;

  @Field(() => ScopeReductionModel, {
    nullable: true,
    description: 'The latest reduced-scope plan B, if any.',
  })
  scopeReduction: ScopeReductionModel | null;

  @Field(() => [String], {
    description:
      'Every data element a reduced scope dropped from this order; an amended specification leaves them out.',
  })
  droppedDataElements: string[];

  @Field(() => TestPlanModel, { nullable: true })
  testPlan: TestPlanModel | null;

  @Field(() => [TestResultModel])
  testResults: TestResultModel[];

  @Field(() => [AmendmentModel])
  amendments: AmendmentModel[];

  @Field(() => String, { nullable: true })
  holdReason: string | null;

  @Field(() => String, { nullable: true })
  cancelReason: string | null;

  @Field(() => IsoDateScalar, { nullable: true })
  liveDate: string | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType('OrderEdge')
export class OrderEdge {
  @Field()
  cursor: string;

  @Field(() => InterfaceOrderModel)
  node: InterfaceOrderModel;
}

@ObjectType('OrderConnection')
export class OrderConnection {
  @Field(() => [OrderEdge])
  edges: OrderEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ObjectType('OrderEventEdge')
export class OrderEventEdge {
  @Field()
  cursor: string;

  @Field(() => OrderEventModel)
  node: OrderEventModel;
}

@ObjectType('OrderEventConnection', { description: 'A page of an order history, oldest first.' })
export class OrderEventConnection {
  @Field(() => [OrderEventEdge])
  edges: OrderEventEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
