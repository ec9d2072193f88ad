import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { assertIsoDate, badInput, CLOCK, type Clock } from '@snitflow/common';
import {
  defaultSupplierOf,
  type OrderCategory,
  type OrderContext,
  responsibleParties,
} from '@snitflow/lifecycle';
import { DeadlinePlanner, ORDER_COLUMNS, type OrderRow, OrderTransitionService } from '@snitflow/orders';
import {
  DurationHistory,
  deadlinesMissed,
  forecastOrder,
  forecastProjects,
  type HistoryEvent,
  type OrderForecast,
  type ProjectForecast,
  type SinceLastTime,
  sinceLastTime,
  staysOf,
  type TestStrategy,
  testStrategy,
} from '@snitflow/programme';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import type { InterfaceOrderModel } from '../orders/order.models.js';
import { SupplierStatsService } from '../suppliers/supplier-stats.service.js';
import type {
  GoLiveForecastModel,
  ProgrammeForecastModel,
  StatusReportModel,
  TestStrategyModel,
} from './programme.models.js';
import { ProgrammePresenter } from './programme.presenter.js';
import {
  isActiveRequest,
  type ProgrammeData,
  type ProgrammeOrder,
  type ProgrammeProject,
  type ProgrammeRequest,
  type ProgrammeSupplier,
} from './programme-data.js';

/** The report's default period: the four weeks up to today (a steering group's usual rhythm). */
export const DEFAULT_REPORT_DAYS = 28;

/** Longest period one report covers; longer is a typo or a different question. */
export const MAX_REPORT_DAYS = 366;

const ZONE = 'Europe/Copenhagen';

export interface CountBy<K> {
  key: K;
  count: number;
}

export interface ConsolidationFigures {
  /** Every request ever received, whatever became of it. */
  requestsReceived: number;
  /** Requests not rejected or withdrawn. */
  activeRequests: number;
  /** Orders with at least one active request, cancelled ones left out. */
  orders: number;
  /** Of those, past consolidation (one specification sent or ready to send). */
  consolidatedOrders: number;
  /**
   * Web services bought once instead of once per project: for every such order, its requesting
   * projects less one.
   */
  purchasesSaved: number;
}

export interface ReportOrderRef {
  orderId: string;
  reference: string;
  interfaceKey: string;
}

export interface StatusReport {
  since: string;
  until: string;
  generatedAt: Date;
  sinceLastTime: SinceLastTime;
  deadlinesMissed: (ReportOrderRef & { state: string; dueAt: Date; supplierId: string | null })[];
  ordersByState: CountBy<string>[];
  ordersByCategory: CountBy<OrderCategory | null>[];
  consolidation: ConsolidationFigures;
  overdueBySupplier: CountBy<string>[];
  overdueByBall: CountBy<string>[];
  forecasts: OrderForecast[];
  projectForecasts: ProjectForecast[];
  testStrategy: TestStrategy;
}

/**
 * The programme's view over every order: the go-live forecast, the test strategy, the status
 * report. Reads Postgres in a few statements per call and leaves the figures to the pure
 * functions of libs/programme. Coordinators' business: the resolvers restrict the whole-programme
 * queries; the forecast of one order is shown to whoever may see that order.
 */
@Injectable()
export class ProgrammeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: OrderTransitionService,
    private readonly deadlines: DeadlinePlanner,
    readonly supplierStats: SupplierStatsService,
    private readonly catalogue: CatalogueService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Reads every order, request, history event (reminders left out), project and supplier. */
  async load(): Promise<ProgrammeData> {
    const now = this.clock.now();
    const [rows, requests, events, projects, suppliers] = await Promise.all([
      this.dataSource.query(
        `SELECT ${ORDER_COLUMNS}, i.key AS "interfaceKey", i.title AS "interfaceTitle",
                i.supplier_id AS "sourceSupplierId"
           FROM interface_order o JOIN interface i ON i.id = o.interface_id
          ORDER BY i.key, o.created_at`,
      ) as Promise<(Omit<ProgrammeOrder, 'context'> & { snapshot: unknown; machineVersion: number })[]>,
      this.dataSource.query(
        `SELECT id, order_id AS "orderId", project_id AS "projectId", status, data_elements AS "dataElements",
                need_by AS "needBy"
           FROM interface_request ORDER BY created_at, id`,
      ) as Promise<ProgrammeRequest[]>,
      this.dataSource.query(
        `SELECT order_id AS "orderId", version, type, from_state AS "fromState", to_state AS "toState",
                payload, occurred_at AS "occurredAt", id::float8 AS "sequence"
           FROM order_event WHERE type NOT IN ('REMINDER_SENT', 'ESCALATE')
          ORDER BY order_id, version`,
      ) as Promise<HistoryEvent[]>,
      this.dataSource.query(
        `SELECT id, code, name, name_is_assumed AS "nameIsAssumed" FROM project
          ORDER BY matrix_position NULLS LAST, code`,
      ) as Promise<ProgrammeProject[]>,
      this.dataSource.query('SELECT id, code, name FROM source_supplier ORDER BY name') as Promise<
        ProgrammeSupplier[]
      >,
    ]);
    const orders = rows.map(({ snapshot, machineVersion, ...row }) => ({
      ...row,
      context: this.transitions.restore({ machineVersion, snapshot, reference: row.reference })
        .context as OrderContext,
    }));
    return { now, orders, requests, events, projects, suppliers };
  }

  // One read of the programme per GraphQL request, shared by every order's forecast field in it.
  private readonly perRequest = new WeakMap<
    object,
    Promise<{ data: ProgrammeData; durations: DurationHistory }>
  >();

  private loaded(scope: object, fresh = false) {
    let entry = this.perRequest.get(scope);
    if (!entry || fresh) {
      entry = this.load().then((data) => ({ data, durations: this.durations(data) }));
      this.perRequest.set(scope, entry);
    }
    return entry;
  }

  /**
   * The forecast of one order the caller may see (the field InterfaceOrder.forecast). The order's
   * own facts come from `order` as just read or written; the history's durations from one read
   * per request (`scope`), read again if the order is newer than that read.
   */
  async orderForecast(scope: object, order: InterfaceOrderModel): Promise<GoLiveForecastModel> {
    let { data, durations } = await this.loaded(scope);
    let known = data.orders.find((candidate) => candidate.id === order.id);
    if (!known) {
      ({ data, durations } = await this.loaded(scope, true));
      known = data.orders.find((candidate) => candidate.id === order.id);
    }
    const forecast = forecastOrder(
      {
        orderId: order.id,
        state: order.state,
        stateEnteredAt: order.stateEnteredAt,
        supplierId: order.planB?.alternativeSupplierId ?? order.negotiation?.supplierId ?? order.supplierId,
        planBHasSupplier: Boolean(order.planB?.alternativeSupplierId),
        testWindowStart: order.testPlan?.windowStart ?? null,
        needBy:
          order.specification?.needBy ||
          (known
            ? this.needBy({ ...known, context: { ...known.context, specification: null } }, data.requests)
            : null),
        liveDate: order.liveDate,
      },
      durations,
      this.deadlines.calendar,
      this.clock.now(),
    );
    return { ...new ProgrammePresenter(data).forecast(forecast, order.state), reference: order.reference };
  }

  private readonly currentOrders = new WeakMap<
    object,
    Promise<Map<string, OrderRow & { projectIds: string[] }>>
  >();

  /**
   * The order each interface has now: its open one, else its latest (live or cancelled); null
   * when it was never requested. One read per request (`scope`) for the whole matrix.
   */
  async currentOrderOf(
    scope: object,
    interfaceKey: string,
  ): Promise<(OrderRow & { projectIds: string[] }) | null> {
    let entry = this.currentOrders.get(scope);
    if (!entry) {
      entry = this.dataSource
        .query(
          `SELECT DISTINCT ON (i.key) ${ORDER_COLUMNS}, i.key AS "interfaceKey",
                  ARRAY(SELECT DISTINCT r.project_id::text FROM interface_request r WHERE r.order_id = o.id) AS "projectIds"
             FROM interface_order o JOIN interface i ON i.id = o.interface_id
            ORDER BY i.key, o.is_open DESC, o.created_at DESC, o.id`,
        )
        .then(
          (rows: (OrderRow & { interfaceKey: string; projectIds: string[] })[]) =>
            new Map(rows.map((row) => [row.interfaceKey, row])),
        );
      this.currentOrders.set(scope, entry);
    }
    return (await entry).get(interfaceKey) ?? null;
  }

  /** The duration history of every order's completed stays, for the forecast. */
  durations(data: ProgrammeData): DurationHistory {
    const source = new Map(data.orders.map((order) => [order.id, order.sourceSupplierId]));
    return new DurationHistory(
      staysOf(data.events, (orderId) => source.get(orderId) ?? ''),
      this.deadlines.calendar,
      this.deadlines.policies,
    );
  }

  /** The need-by date of an order: its consolidated one, else the earliest of its active requests. */
  needBy(order: ProgrammeOrder, requests: readonly ProgrammeRequest[]): string | null {
    if (order.context.specification?.needBy) return order.context.specification.needBy;
    const dates = requests
      .filter((request) => request.orderId === order.id && isActiveRequest(request))
      .map((request) => request.needBy)
      .sort();
    return dates[0] ?? null;
  }

  /** The go-live forecast of one order (libs/programme forecastOrder). */
  forecast(order: ProgrammeOrder, data: ProgrammeData, durations: DurationHistory): OrderForecast {
    const context = order.context;
    return forecastOrder(
      {
        orderId: order.id,
        state: order.state,
        stateEnteredAt: order.stateEnteredAt,
        supplierId: defaultSupplierOf(context),
        planBHasSupplier: Boolean(context.planB?.alternativeSupplierId),
        testWindowStart: context.testPlan?.windowStart ?? null,
        needBy: this.needBy(order, data.requests),
        liveDate: context.liveDate,
      },
      durations,
      this.deadlines.calendar,
      data.now,
    );
  }

  /** Every order's forecast and, per project, when all its interfaces are expected live. */
  forecastAll(data: ProgrammeData): { orders: OrderForecast[]; projects: ProgrammeProjectForecast[] } {
    const durations = this.durations(data);
    const orders = data.orders.map((order) => this.forecast(order, data, durations));
    const projectsOf = this.projectsByOrder(data);
    const byProject = new Map(
      forecastProjects(orders, (orderId) => projectsOf.get(orderId) ?? []).map((p) => [p.projectId, p]),
    );
    const projects = data.projects.map(
      (project) =>
        byProject.get(project.id) ?? {
          projectId: project.id,
          allLiveBy: null,
          orders: 0,
          late: 0,
          withoutForecast: 0,
        },
    );
    return { orders, projects };
  }

  /** Project ids with an active request on each order. */
  projectsByOrder(data: ProgrammeData): Map<string, string[]> {
    const result = new Map<string, string[]>();
    for (const request of data.requests) {
      if (!isActiveRequest(request)) continue;
      const list = result.get(request.orderId) ?? [];
      if (!list.includes(request.projectId)) list.push(request.projectId);
      result.set(request.orderId, list);
    }
    return result;
  }

  /** The test strategy across orders (libs/programme testStrategy). */
  testStrategy(data: ProgrammeData): TestStrategy {
    return testStrategy(
      data.orders.map((order) => {
        const elementsByProject = new Map<string, string[]>();
        for (const request of data.requests) {
          if (request.orderId !== order.id || !isActiveRequest(request)) continue;
          elementsByProject.set(request.projectId, [
            ...(elementsByProject.get(request.projectId) ?? []),
            ...request.dataElements,
          ]);
        }
        return {
          orderId: order.id,
          interfaceKey: order.interfaceKey,
          state: order.state,
          testPlan: order.context.testPlan,
          elementsByProject,
        };
      }),
    );
  }

  /**
   * The period of a report as instants: from the start of `since` to the end of `until`, local
   * days in Copenhagen. Defaults: until today, since {@link DEFAULT_REPORT_DAYS} days before.
   * @throws BAD_USER_INPUT (field since) when since is after until or the period is too long.
   */
  period(
    since: string | null | undefined,
    until: string | null | undefined,
  ): {
    since: string;
    until: string;
    from: Date;
    to: Date;
  } {
    const today = this.deadlines.calendar.localDate(this.clock.now());
    if (since) assertIsoDate(since, 'since');
    if (until) assertIsoDate(until, 'until');
    const end = until ?? today;
    const start =
      since ?? DateTime.fromISO(end, { zone: ZONE }).minus({ days: DEFAULT_REPORT_DAYS }).toISODate() ?? end;
    if (start > end) throw badInput(`since ${start} is after until ${end}`, { field: 'since' });
    const from = DateTime.fromISO(start, { zone: ZONE }).startOf('day');
    const to = DateTime.fromISO(end, { zone: ZONE }).plus({ days: 1 }).startOf('day');
    if (to.diff(from, 'days').days > MAX_REPORT_DAYS) {
      throw badInput(`A report covers at most ${MAX_REPORT_DAYS} days`, { field: 'since' });
    }
    return { since: start, until: end, from: from.toJSDate(), to: to.toJSDate() };
  }

  /** The status report for the period, in the API's shapes (see the StatusReport type). */
  async report(since?: string | null, until?: string | null): Promise<StatusReportModel> {
    const period = this.period(since, until);
    const data = await this.load();
    const [report, answerTimes] = [this.statusReport(data, period), await this.supplierStats.stats(null)];
    return new ProgrammePresenter(data).statusReport(report, answerTimes);
  }

  /** Every order's forecast and every project's, in the API's shapes. */
  async programmeForecast(): Promise<ProgrammeForecastModel> {
    const data = await this.load();
    const forecast = this.forecastAll(data);
    return new ProgrammePresenter(data).programmeForecast(forecast.orders, forecast.projects);
  }

  /** The test strategy across orders, in the API's shapes. */
  async programmeTestStrategy(): Promise<TestStrategyModel> {
    const data = await this.load();
    return new ProgrammePresenter(data).testStrategy(this.testStrategy(data));
  }

  /** The figures of the status report for a period (ids; see {@link report} for the API's shapes). */
  statusReport(
    data: ProgrammeData,
    period: { since: string; until: string; from: Date; to: Date },
  ): StatusReport {
    const refs = new Map(data.orders.map((order) => [order.id, order]));
    const source = new Map(data.orders.map((order) => [order.id, order.sourceSupplierId]));
    const stays = staysOf(data.events, (orderId) => source.get(orderId) ?? '');
    const missed = deadlinesMissed(
      stays,
      { from: period.from, to: period.to, now: data.now },
      this.deadlines.policies,
      this.deadlines.calendar,
    ).map((miss) => {
      const order = refs.get(miss.orderId);
      return {
        orderId: miss.orderId,
        reference: order?.reference ?? '',
        interfaceKey: order?.interfaceKey ?? '',
        state: miss.state,
        dueAt: miss.dueAt,
        supplierId: miss.supplierId,
      };
    });

    const count = <K>(keys: K[]): CountBy<K>[] => {
      const counts = new Map<K, number>();
      for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
      return [...counts].map(([key, n]) => ({ key, count: n }));
    };
    const byCount = <K>(list: CountBy<K>[]) =>
      list.sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)));

    const overdue = data.orders.filter(
      (order) =>
        order.state !== 'live' && order.state !== 'cancelled' && order.dueAt && order.dueAt < data.now,
    );
    const projectsOf = this.projectsByOrder(data);
    const living = data.orders.filter((order) => order.state !== 'cancelled' && projectsOf.has(order.id));
    const consolidated = living.filter((order) => order.state !== 'ordered' && order.context.specification);
    const forecast = this.forecastAll(data);

    return {
      since: period.since,
      until: period.until,
      generatedAt: data.now,
      sinceLastTime: sinceLastTime(data.events, period.from, period.to),
      deadlinesMissed: missed,
      ordersByState: byCount(count(data.orders.map((order) => order.state))),
      ordersByCategory: byCount(count(data.orders.map((order) => order.category as OrderCategory | null))),
      consolidation: {
        requestsReceived: data.requests.length,
        activeRequests: data.requests.filter(isActiveRequest).length,
        orders: living.length,
        consolidatedOrders: consolidated.length,
        purchasesSaved: consolidated.reduce(
          (sum, order) => sum + Math.max(0, (projectsOf.get(order.id)?.length ?? 0) - 1),
          0,
        ),
      },
      overdueBySupplier: byCount(count(overdue.map((order) => order.supplierId))),
      overdueByBall: byCount(count(overdue.map((order) => order.ballInCourt))),
      forecasts: forecast.orders,
      projectForecasts: forecast.projects,
      testStrategy: this.testStrategy(data),
    };
  }

  /**
   * The playbook's interface list with each interface's order now (its open one, else its
   * latest): state, ball, deadline, category, who negotiates/buys/pays, need-by and the forecast.
   * For the report page and the CSV/XLSX downloads (coordinators).
   */
  async playbook(): Promise<Playbook> {
    const [matrix, data] = await Promise.all([this.catalogue.matrix(), this.load()]);
    const durations = this.durations(data);
    const current = new Map<string, ProgrammeOrder>();
    for (const order of data.orders) {
      const known = current.get(order.interfaceKey);
      const open = (o: ProgrammeOrder) => o.state !== 'live' && o.state !== 'cancelled';
      if (
        !known ||
        (open(order) && !open(known)) ||
        (open(order) === open(known) && order.createdAt > known.createdAt)
      )
        current.set(order.interfaceKey, order);
    }
    const calendar = this.deadlines.calendar;
    const projectColumns = (matrix[0]?.marks ?? []).map((mark) => ({
      code: mark.project.code,
      column: mark.column,
    }));
    return {
      projectColumns,
      rows: matrix.map((row) => {
        const order = current.get(row.key);
        const forecast = order ? this.forecast(order, data, durations) : null;
        const parties = this.responsible(order?.category ?? null);
        return {
          key: row.key,
          title: row.title,
          sourceSupplier: row.sourceSupplier,
          marks: row.marks.map((mark) => (mark.mark === 'FIRM' ? 'x' : mark.mark === 'TENTATIVE' ? '?' : '')),
          reference: order?.reference ?? null,
          state: order?.state ?? null,
          ballInCourt: order?.ballInCourt ?? null,
          dueDate: order?.dueAt ? calendar.localDate(order.dueAt) : null,
          overdue: Boolean(
            order?.dueAt && order.dueAt < data.now && order.state !== 'live' && order.state !== 'cancelled',
          ),
          category: order?.category ?? null,
          negotiates: parties?.negotiates ?? null,
          buys: parties?.buys ?? null,
          pays: parties?.pays ?? null,
          needBy: forecast?.needBy ?? null,
          expectedLiveDate: forecast?.expectedLiveDate ?? null,
          lateForNeedBy: forecast?.lateForNeedBy ?? false,
        };
      }),
    };
  }

  /** Who negotiates, buys and pays for a category (the deck's backup slide). */
  responsible(category: string | null) {
    return category ? responsibleParties(category as OrderCategory) : null;
  }
}

export type ProgrammeProjectForecast = ProjectForecast;

/** One row of the playbook download: the interface list's row and its order now. */
export interface PlaybookRow {
  key: string;
  title: string;
  sourceSupplier: string;
  /** One per project column: 'x' firm, '?' tentative, '' none (the deck's marks). */
  marks: string[];
  reference: string | null;
  state: string | null;
  ballInCourt: string | null;
  /** The current state's deadline as a local date (Copenhagen). */
  dueDate: string | null;
  overdue: boolean;
  category: string | null;
  negotiates: string | null;
  buys: string | null;
  pays: string | null;
  needBy: string | null;
  expectedLiveDate: string | null;
  lateForNeedBy: boolean;
}

export interface Playbook {
  projectColumns: { code: string; column: string }[];
  rows: PlaybookRow[];
}
