import type { BusinessCalendar } from '@snitflow/calendar';
import type { DeadlinePolicies } from '@snitflow/deadlines';
import { INTERRUPTING_EVENTS, type Stay } from './history.js';
import { median } from './statistics.js';

/**
 * The go-live forecast: per order, when it is expected to be live, from the state it is in,
 * the typical duration of each state still ahead, measured in Danish business days from this
 * programme's own history, and the business calendar.
 *
 * Rules (stated here once; the README and the GraphQL descriptions point to them):
 * - The path ahead is the ordinary one: ordered → consolidated → awaitingSupplier → agreed →
 *   test.planning → test.running → test.passed → live. A question or a proposal on the table
 *   goes back to the wait or to agreed; a decline goes to plan B; plan B goes to a negotiation
 *   when it named another supplier, else straight to test planning. Any other negotiation state
 *   (an emailed answer waiting to be recorded) is followed by the supplier's wait again.
 * - A state's typical duration is the median of its completed stays (ended by moving on, not by
 *   a hold or a cancellation), rounded up to whole business days. For the supplier's wait it is
 *   the median of that supplier's own waits.
 * - Fallback while history is thin (fewer than {@link MIN_SAMPLES} stays): for a supplier wait,
 *   every supplier's waits together; then the state's deadline (its deadline policy's business
 *   days) — the time the programme gives itself for that state.
 * - The current state counts from when it was entered: what remains is its typical duration less
 *   the business days already spent, never below 0 (an overdue state is expected to end today).
 * - A test cannot start before its plan's window starts.
 * - An order on hold has no forecast (nobody can say when it resumes); a cancelled one neither;
 *   a live one is live on its live date.
 */

/** A state needs at least this many measured stays before its median is trusted. */
export const MIN_SAMPLES = 3;

export const SUPPLIER_WAIT = 'negotiation.awaitingSupplier';

/** Where a step's duration came from. */
export type DurationSource = 'SUPPLIER_HISTORY' | 'PROGRAMME_HISTORY' | 'DEADLINE_POLICY';

export interface TypicalDuration {
  businessDays: number;
  source: DurationSource;
  /** How many measured stays the figure rests on (0 for the deadline policy). */
  samples: number;
}

/** Measured durations, in business days, of completed stays by state (and supplier, for waits). */
export class DurationHistory {
  private readonly byState = new Map<string, number[]>();
  private readonly bySupplierWait = new Map<string, number[]>();

  constructor(
    stays: readonly Stay[],
    calendar: BusinessCalendar,
    private readonly policies: DeadlinePolicies,
  ) {
    for (const stay of stays) {
      if (!stay.leftAt || !stay.leftBy || INTERRUPTING_EVENTS.has(stay.leftBy)) continue;
      const days = Math.max(0, calendar.businessDaysBetween(stay.enteredAt, stay.leftAt));
      push(this.byState, stay.state, days);
      if (stay.state === SUPPLIER_WAIT) push(this.bySupplierWait, stay.supplierId, days);
    }
    for (const list of [...this.byState.values(), ...this.bySupplierWait.values()])
      list.sort((a, b) => a - b);
  }

  /** The typical duration of `state` (for the supplier wait: with `supplierId`), with its source. */
  typical(state: string, supplierId: string | null): TypicalDuration {
    if (state === SUPPLIER_WAIT && supplierId) {
      const own = this.bySupplierWait.get(supplierId) ?? [];
      if (own.length >= MIN_SAMPLES) return measured(own, 'SUPPLIER_HISTORY');
    }
    const all = this.byState.get(state) ?? [];
    if (all.length >= MIN_SAMPLES) return measured(all, 'PROGRAMME_HISTORY');
    return { businessDays: this.policies[state]?.businessDays ?? 0, source: 'DEADLINE_POLICY', samples: 0 };
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

function measured(sorted: readonly number[], source: DurationSource): TypicalDuration {
  return { businessDays: Math.ceil(median(sorted) ?? 0), source, samples: sorted.length };
}

/** What the forecast needs to know of one order now. */
export interface OrderNow {
  orderId: string;
  state: string;
  stateEnteredAt: Date;
  /** The supplier a send would go to now (plan B's alternative, last negotiation, or source). */
  supplierId: string;
  /** Plan B named another supplier, so plan B leads to a new negotiation. */
  planBHasSupplier: boolean;
  /** The test plan's window start (YYYY-MM-DD), when planned. */
  testWindowStart: string | null;
  /** The consolidated need-by date (YYYY-MM-DD), when consolidated. */
  needBy: string | null;
  /** The live date, once live. */
  liveDate: string | null;
}

export interface ForecastStep {
  state: string;
  /** The supplier whose waits were measured, for a supplier wait. */
  supplierId: string | null;
  /** Business days this step is expected to take from its start (for the current state: what remains). */
  businessDays: number;
  typical: TypicalDuration;
  /** The local date (YYYY-MM-DD) the step is expected to end. */
  expectedEnd: string;
}

export type ForecastStatus = 'FORECAST' | 'LIVE' | 'ON_HOLD' | 'CANCELLED';

export interface OrderForecast {
  orderId: string;
  status: ForecastStatus;
  /** YYYY-MM-DD; null on hold or cancelled. */
  expectedLiveDate: string | null;
  needBy: string | null;
  /** The forecast falls after the need-by date (never for live, on-hold or cancelled orders). */
  lateForNeedBy: boolean;
  steps: ForecastStep[];
}

const REST_FROM_AGREED = ['negotiation.agreed', 'test.planning', 'test.running', 'test.passed'];
const REST_FROM_WAIT = [SUPPLIER_WAIT, ...REST_FROM_AGREED];
const REST_FROM_TEST_PLANNING = ['test.planning', 'test.running', 'test.passed'];

/** The states still ahead of an order, its current one first; null when it has no path to live. */
export function remainingPath(state: string, planBHasSupplier: boolean): string[] | null {
  switch (state) {
    case 'ordered':
      return ['ordered', 'consolidated', ...REST_FROM_WAIT];
    case 'consolidated':
      return ['consolidated', ...REST_FROM_WAIT];
    case SUPPLIER_WAIT:
      return REST_FROM_WAIT;
    case 'negotiation.clarification':
      return ['negotiation.clarification', ...REST_FROM_WAIT];
    case 'negotiation.proposalReceived':
      return ['negotiation.proposalReceived', ...REST_FROM_AGREED];
    case 'negotiation.declined':
      // The deck's answer to a supplier who will not deliver: plan B (eIndkomst).
      return ['negotiation.declined', 'planB', ...REST_FROM_TEST_PLANNING];
    case 'negotiation.agreed':
      return REST_FROM_AGREED;
    case 'planB':
      return planBHasSupplier ? ['planB', ...REST_FROM_WAIT] : ['planB', ...REST_FROM_TEST_PLANNING];
    case 'test.planning':
      return REST_FROM_TEST_PLANNING;
    case 'test.running':
      return ['test.running', 'test.passed'];
    case 'test.passed':
      return ['test.passed'];
    case 'live':
      return [];
    case 'onHold':
    case 'cancelled':
      return null;
    default:
      // A negotiation state this list does not know yet (e.g. negotiation.supplierWrote, an emailed
      // answer waiting to be recorded): its own typical duration, then back to the supplier's wait,
      // the cautious way round.
      return [state, ...REST_FROM_WAIT];
  }
}

function addBusinessDays(calendar: BusinessCalendar, date: string, n: number): string {
  let day = calendar.isBusinessDay(date) ? date : calendar.nextBusinessDay(date);
  for (let i = 0; i < n; i++) day = calendar.nextBusinessDay(day);
  return day;
}

/**
 * The forecast of one order at `now`. Pure: the history's figures, the calendar and the order.
 */
export function forecastOrder(
  order: OrderNow,
  history: DurationHistory,
  calendar: BusinessCalendar,
  now: Date,
): OrderForecast {
  const base = { orderId: order.orderId, needBy: order.needBy, lateForNeedBy: false, steps: [] };
  if (order.state === 'live') return { ...base, status: 'LIVE', expectedLiveDate: order.liveDate };
  if (order.state === 'cancelled') return { ...base, status: 'CANCELLED', expectedLiveDate: null };
  const path = remainingPath(order.state, order.planBHasSupplier);
  if (!path) return { ...base, status: 'ON_HOLD', expectedLiveDate: null };

  let cursor = calendar.localDate(now);
  const steps: ForecastStep[] = [];
  path.forEach((state, index) => {
    const supplierId = state === SUPPLIER_WAIT ? order.supplierId : null;
    const typical = history.typical(state, supplierId);
    let businessDays = typical.businessDays;
    if (index === 0) {
      const spent = Math.max(0, calendar.businessDaysBetween(order.stateEnteredAt, now));
      businessDays = Math.max(0, typical.businessDays - spent);
    }
    if (state === 'test.running' && order.testWindowStart && index > 0) {
      // The test starts in its window, not before.
      const windowStart = order.testWindowStart;
      if (windowStart > cursor)
        cursor = calendar.isBusinessDay(windowStart) ? windowStart : calendar.nextBusinessDay(windowStart);
    }
    cursor = addBusinessDays(calendar, cursor, businessDays);
    steps.push({ state, supplierId, businessDays, typical, expectedEnd: cursor });
  });
  const expectedLiveDate = cursor;
  return {
    ...base,
    status: 'FORECAST',
    expectedLiveDate,
    lateForNeedBy: order.needBy !== null && expectedLiveDate > order.needBy,
    steps,
  };
}

export interface ProjectForecast {
  projectId: string;
  /** When every interface the project requested is expected live; null if any has no forecast. */
  allLiveBy: string | null;
  orders: number;
  /** Of those, forecast after their need-by date. */
  late: number;
  /** Of those, without a forecast (on hold). */
  withoutForecast: number;
}

/**
 * Per project, when all its interfaces are expected live: the latest forecast over the orders it
 * has active requests on (cancelled orders do not count).
 */
export function forecastProjects(
  forecasts: readonly OrderForecast[],
  projectsOf: (orderId: string) => readonly string[],
): ProjectForecast[] {
  const byProject = new Map<string, OrderForecast[]>();
  for (const forecast of forecasts) {
    if (forecast.status === 'CANCELLED') continue;
    for (const projectId of projectsOf(forecast.orderId)) {
      const list = byProject.get(projectId) ?? [];
      list.push(forecast);
      byProject.set(projectId, list);
    }
  }
  return [...byProject].map(([projectId, list]) => {
    const withoutForecast = list.filter((forecast) => forecast.expectedLiveDate === null).length;
    const dates = list.flatMap((forecast) => (forecast.expectedLiveDate ? [forecast.expectedLiveDate] : []));
    return {
      projectId,
      allLiveBy: withoutForecast > 0 ? null : (dates.sort().at(-1) ?? null),
      orders: list.length,
      late: list.filter((forecast) => forecast.lateForNeedBy).length,
      withoutForecast,
    };
  });
}
