import { BusinessCalendar } from '@snitflow/calendar';
import { DEFAULT_DEADLINE_POLICIES } from '@snitflow/deadlines';
import { DurationHistory, forecastOrder, forecastProjects, MIN_SAMPLES, type OrderNow } from './forecast.js';
import { type HistoryEvent, staysOf } from './history.js';

const calendar = new BusinessCalendar();
// November 2026 has no Danish public holiday; Copenhagen is UTC+1, so 09:00Z is 10:00 local.
const at = (date: string) => new Date(`${date}T09:00:00.000Z`);

let version = 0;
function event(
  orderId: string,
  type: string,
  fromState: string,
  toState: string,
  date: string,
  payload = {},
) {
  version += 1;
  return { orderId, version, type, fromState, toState, payload, occurredAt: at(date) } satisfies HistoryEvent;
}

/** An order sent to `supplierId` on `sent` that the supplier accepted on `answered`. */
function answeredWait(orderId: string, supplierId: string, sent: string, answered: string): HistoryEvent[] {
  return [
    event(orderId, 'CONSOLIDATE', 'ordered', 'consolidated', sent),
    event(orderId, 'SEND_TO_SUPPLIER', 'consolidated', 'negotiation.awaitingSupplier', sent, { supplierId }),
    event(orderId, 'SUPPLIER_ACCEPTS', 'negotiation.awaitingSupplier', 'negotiation.agreed', answered),
  ];
}

const SKAT = 'supplier-skat';
const ATP = 'supplier-atp';
const CPR = 'supplier-cpr';

// SKAT answered three times: in 4, 6 and 8 business days (median 6). ATP once, in 20.
const history: HistoryEvent[] = [
  ...answeredWait('o1', SKAT, '2026-11-02', '2026-11-06'),
  ...answeredWait('o2', SKAT, '2026-11-02', '2026-11-10'),
  ...answeredWait('o3', SKAT, '2026-11-02', '2026-11-12'),
  ...answeredWait('o4', ATP, '2026-11-02', '2026-11-30'),
  // A wait ended by a hold says nothing about how fast ATP answers.
  event('o5', 'SEND_TO_SUPPLIER', 'consolidated', 'negotiation.awaitingSupplier', '2026-11-02', {
    supplierId: ATP,
  }),
  event('o5', 'PUT_ON_HOLD', 'negotiation.awaitingSupplier', 'onHold', '2026-11-03'),
];
const stays = staysOf(history, () => 'source');
const durations = new DurationHistory(stays, calendar, DEFAULT_DEADLINE_POLICIES);

function order(overrides: Partial<OrderNow>): OrderNow {
  return {
    orderId: 'x',
    state: 'negotiation.awaitingSupplier',
    stateEnteredAt: at('2026-11-16'),
    supplierId: SKAT,
    planBHasSupplier: false,
    testWindowStart: null,
    needBy: null,
    liveDate: null,
    ...overrides,
  };
}

describe('typical durations from the programme history', () => {
  it('takes the median of the supplier’s own completed waits once it has enough', () => {
    expect(MIN_SAMPLES).toBe(3);
    expect(durations.typical('negotiation.awaitingSupplier', SKAT)).toEqual({
      businessDays: 6,
      source: 'SUPPLIER_HISTORY',
      samples: 3,
    });
  });

  it('falls back to every supplier’s waits while a supplier’s own history is thin (a hold does not count)', () => {
    // ATP: one answered wait (20) plus a held one that is not counted; all waits: 4, 6, 8, 20 → 7.
    expect(durations.typical('negotiation.awaitingSupplier', ATP)).toEqual({
      businessDays: 7,
      source: 'PROGRAMME_HISTORY',
      samples: 4,
    });
    expect(durations.typical('negotiation.awaitingSupplier', CPR).source).toBe('PROGRAMME_HISTORY');
  });

  it('falls back to the state’s deadline policy while the programme has too few stays', () => {
    // Five consolidated stays of 0 days exist (o5's first stay too); agreed has none completed.
    expect(durations.typical('consolidated', null)).toEqual({
      businessDays: 0,
      source: 'PROGRAMME_HISTORY',
      samples: 5,
    });
    expect(durations.typical('negotiation.agreed', null)).toEqual({
      businessDays: DEFAULT_DEADLINE_POLICIES['negotiation.agreed']?.businessDays,
      source: 'DEADLINE_POLICY',
      samples: 0,
    });
    const empty = new DurationHistory([], calendar, DEFAULT_DEADLINE_POLICIES);
    expect(empty.typical('negotiation.awaitingSupplier', SKAT)).toEqual({
      businessDays: 10,
      source: 'DEADLINE_POLICY',
      samples: 0,
    });
  });
});

describe('the forecast of one order', () => {
  const now = at('2026-11-18'); // Wednesday

  it('walks the states ahead with the calendar, counting the time already spent in the current one', () => {
    // Waiting for SKAT since Monday 16th: 2 business days spent of a typical 6, so 4 remain.
    const forecast = forecastOrder(order({ needBy: '2027-01-15' }), durations, calendar, now);
    expect(
      forecast.steps.map((step) => [step.state, step.businessDays, step.typical.source, step.expectedEnd]),
    ).toEqual([
      ['negotiation.awaitingSupplier', 4, 'SUPPLIER_HISTORY', '2026-11-24'],
      // No history yet for the rest: each state's deadline (10, 10, 15, 10 business days).
      ['negotiation.agreed', 10, 'DEADLINE_POLICY', '2026-12-08'],
      ['test.planning', 10, 'DEADLINE_POLICY', '2026-12-22'],
      // 24 Dec (closing day), 25 Dec (holiday), 31 Dec (closing day), 1 Jan (holiday) are skipped.
      ['test.running', 15, 'DEADLINE_POLICY', '2027-01-18'],
      ['test.passed', 10, 'DEADLINE_POLICY', '2027-02-01'],
    ]);
    expect(forecast.status).toBe('FORECAST');
    expect(forecast.expectedLiveDate).toBe('2027-02-01');
    expect(forecast.lateForNeedBy).toBe(true);
  });

  it('is not late when the need-by date is after the forecast', () => {
    const forecast = forecastOrder(order({ needBy: '2027-02-01' }), durations, calendar, now);
    expect(forecast.lateForNeedBy).toBe(false);
  });

  it('uses the fallback for a supplier with a thin history, and never a negative remainder', () => {
    // Waiting for ATP since 2 November: 12 business days spent, typical 7 (fallback): 0 remain.
    const forecast = forecastOrder(
      order({ supplierId: ATP, stateEnteredAt: at('2026-11-02') }),
      durations,
      calendar,
      now,
    );
    expect(forecast.steps[0]).toMatchObject({
      businessDays: 0,
      typical: { businessDays: 7, source: 'PROGRAMME_HISTORY' },
      expectedEnd: '2026-11-18',
    });
  });

  it('does not start a test before its window', () => {
    // Planning ends 2 Dec, but the window opens Monday 1 February: 15 business days from there.
    const forecast = forecastOrder(
      order({ state: 'test.planning', stateEnteredAt: now, testWindowStart: '2027-02-01' }),
      durations,
      calendar,
      now,
    );
    expect(forecast.steps.map((step) => step.expectedEnd)).toEqual([
      '2026-12-02',
      '2027-02-22',
      '2027-03-08',
    ]);
  });

  it('takes plan B to test, or to a new negotiation when plan B named a supplier', () => {
    const straight = forecastOrder(order({ state: 'planB', stateEnteredAt: now }), durations, calendar, now);
    expect(straight.steps.map((step) => step.state)).toEqual([
      'planB',
      'test.planning',
      'test.running',
      'test.passed',
    ]);
    const viaSupplier = forecastOrder(
      order({ state: 'planB', stateEnteredAt: now, planBHasSupplier: true }),
      durations,
      calendar,
      now,
    );
    expect(viaSupplier.steps.map((step) => step.state)).toEqual([
      'planB',
      'negotiation.awaitingSupplier',
      'negotiation.agreed',
      'test.planning',
      'test.running',
      'test.passed',
    ]);
  });

  it('sends a negotiation state it does not know back to the supplier’s wait', () => {
    const forecast = forecastOrder(
      order({ state: 'negotiation.supplierWrote', stateEnteredAt: now }),
      durations,
      calendar,
      now,
    );
    expect(forecast.steps.map((step) => step.state).slice(0, 2)).toEqual([
      'negotiation.supplierWrote',
      'negotiation.awaitingSupplier',
    ]);
  });

  it('gives no date on hold or cancelled, and the live date once live', () => {
    expect(forecastOrder(order({ state: 'onHold' }), durations, calendar, now)).toMatchObject({
      status: 'ON_HOLD',
      expectedLiveDate: null,
      lateForNeedBy: false,
    });
    expect(forecastOrder(order({ state: 'cancelled' }), durations, calendar, now).status).toBe('CANCELLED');
    expect(
      forecastOrder(order({ state: 'live', liveDate: '2026-11-01' }), durations, calendar, now),
    ).toMatchObject({
      status: 'LIVE',
      expectedLiveDate: '2026-11-01',
    });
  });
});

describe('per project', () => {
  it('is the latest forecast of its orders; unknown while one is on hold; cancelled orders do not count', () => {
    const forecasts = [
      {
        orderId: 'a',
        status: 'FORECAST',
        expectedLiveDate: '2027-03-01',
        needBy: '2027-02-01',
        lateForNeedBy: true,
        steps: [],
      },
      {
        orderId: 'b',
        status: 'LIVE',
        expectedLiveDate: '2026-11-01',
        needBy: null,
        lateForNeedBy: false,
        steps: [],
      },
      {
        orderId: 'c',
        status: 'ON_HOLD',
        expectedLiveDate: null,
        needBy: null,
        lateForNeedBy: false,
        steps: [],
      },
      {
        orderId: 'd',
        status: 'CANCELLED',
        expectedLiveDate: null,
        needBy: null,
        lateForNeedBy: false,
        steps: [],
      },
    ] as const;
    const projects: Record<string, string[]> = { a: ['KY', 'KSD'], b: ['KY'], c: ['KSD'], d: ['KY'] };
    const result = forecastProjects(
      forecasts.map((f) => ({ ...f, steps: [] })),
      (id) => projects[id] ?? [],
    );
    expect(result).toEqual([
      { projectId: 'KY', allLiveBy: '2027-03-01', orders: 2, late: 1, withoutForecast: 0 },
      { projectId: 'KSD', allLiveBy: null, orders: 2, late: 1, withoutForecast: 1 },
    ]);
  });
});
