import { BusinessCalendar } from '@snitflow/calendar';
import { DEFAULT_DEADLINE_POLICIES } from '@snitflow/deadlines';
import { barChart } from './charts.js';
import { deadlinesMissed } from './deadlines-missed.js';
import { type HistoryEvent, staysOf } from './history.js';
import { sinceLastTime } from './since-last-time.js';
import { testStrategy } from './test-strategy.js';

const calendar = new BusinessCalendar();
const at = (date: string, time = '09:00') => new Date(`${date}T${time}:00.000Z`);
let version = 0;
function event(orderId: string, type: string, fromState: string, toState: string, when: Date, payload = {}) {
  version += 1;
  return { orderId, version, type, fromState, toState, payload, occurredAt: when } satisfies HistoryEvent;
}

describe('deadlines missed', () => {
  // Sent Monday 2 November with reply-by Friday 6th: due Friday 6th 16:00 Copenhagen (15:00Z).
  const sent = event(
    'o',
    'SEND_TO_SUPPLIER',
    'consolidated',
    'negotiation.awaitingSupplier',
    at('2026-11-02'),
    {
      supplierId: 'skat',
      replyBy: '2026-11-06',
    },
  );
  const window = { from: at('2026-11-01'), to: at('2026-12-01'), now: at('2026-11-20') };

  it('counts a deadline that passed while the order stayed, at its instant, with the supplier', () => {
    const missed = deadlinesMissed(
      staysOf([sent], () => 'skat'),
      window,
      DEFAULT_DEADLINE_POLICIES,
      calendar,
    );
    expect(missed).toEqual([
      {
        orderId: 'o',
        state: 'negotiation.awaitingSupplier',
        dueAt: new Date('2026-11-06T15:00:00.000Z'),
        supplierId: 'skat',
      },
    ]);
  });

  it('does not count one answered in time, or one not yet passed', () => {
    const answered = event(
      'o',
      'SUPPLIER_ACCEPTS',
      'negotiation.awaitingSupplier',
      'negotiation.agreed',
      at('2026-11-06', '14:59'),
    );
    const stays = staysOf([sent, answered], () => 'skat');
    // agreed entered 6 Nov: due 10 business days later, 20 Nov 16:00, after `now`.
    expect(deadlinesMissed(stays, window, DEFAULT_DEADLINE_POLICIES, calendar)).toEqual([]);
    expect(
      deadlinesMissed(
        staysOf([sent], () => 'skat'),
        { ...window, now: at('2026-11-06', '14:00') },
        DEFAULT_DEADLINE_POLICIES,
        calendar,
      ),
    ).toEqual([]);
  });

  it("counts the deadline of a new order's first stay in ordered, counted from its creation", () => {
    // Created by a request on Monday 2 November: ordered has 10 business days, to Monday 16th 16:00.
    const created = event('n', 'REQUESTS_CHANGED', 'ordered', 'ordered', at('2026-11-02'), {
      change: 'submitted',
    });
    expect(
      deadlinesMissed(
        staysOf([created], () => 'skat'),
        window,
        DEFAULT_DEADLINE_POLICIES,
        calendar,
      ),
    ).toEqual([
      { orderId: 'n', state: 'ordered', dueAt: new Date('2026-11-16T15:00:00.000Z'), supplierId: null },
    ]);
  });

  it('an extension before the deadline moves it; one after it passed does not undo the miss', () => {
    const early = event(
      'o',
      'EXTEND_DEADLINE',
      'negotiation.awaitingSupplier',
      'negotiation.awaitingSupplier',
      at('2026-11-05'),
      {
        dueAt: '2026-11-27T15:00:00.000Z',
      },
    );
    expect(
      deadlinesMissed(
        staysOf([sent, early], () => 'skat'),
        window,
        DEFAULT_DEADLINE_POLICIES,
        calendar,
      ),
    ).toEqual([]);
    const late = { ...early, occurredAt: at('2026-11-10') };
    expect(
      deadlinesMissed(
        staysOf([sent, late], () => 'skat'),
        window,
        DEFAULT_DEADLINE_POLICIES,
        calendar,
      ).map((m) => m.dueAt),
    ).toEqual([new Date('2026-11-06T15:00:00.000Z')]);
  });
});

describe('since last time', () => {
  it('lists what happened in the period only, with plan B’s reason from the decline before it', () => {
    const events = [
      event('a', 'REQUESTS_CHANGED', 'ordered', 'ordered', at('2026-10-30'), { change: 'submitted' }),
      event('a', 'REQUESTS_CHANGED', 'ordered', 'ordered', at('2026-11-02'), { change: 'submitted' }),
      event('a', 'REQUESTS_CHANGED', 'ordered', 'ordered', at('2026-11-03'), { change: 'resubmitted' }),
      event('a', 'REVIEW_REQUEST', 'ordered', 'ordered', at('2026-11-03'), { decision: 'REQUEST_CHANGES' }),
      event('a', 'CONSOLIDATE', 'ordered', 'consolidated', at('2026-11-04')),
      event('a', 'SEND_TO_SUPPLIER', 'consolidated', 'negotiation.awaitingSupplier', at('2026-11-04')),
      event(
        'a',
        'SUPPLIER_DECLINES',
        'negotiation.awaitingSupplier',
        'negotiation.declined',
        at('2026-10-31'),
        {
          reason: 'Not offered',
        },
      ),
      event('a', 'START_PLAN_B', 'negotiation.declined', 'planB', at('2026-11-05'), {
        kind: 'OTHER_SOURCE',
        description: 'eIndkomst',
      }),
      event('b', 'SUPPLIER_ACCEPTS', 'negotiation.awaitingSupplier', 'negotiation.agreed', at('2026-11-06')),
      event('b', 'CANCEL', 'negotiation.agreed', 'cancelled', at('2026-11-30'), { reason: 'Not needed' }),
    ];
    const result = sinceLastTime(events, at('2026-11-01'), at('2026-11-30'));
    expect(result.requestsReceived).toBe(1);
    expect(result.requestsChanged).toBe(1);
    expect(result.requestsSentBack).toBe(1);
    expect(result.consolidated.map((h) => h.orderId)).toEqual(['a']);
    expect(result.sentToSupplier.map((h) => h.orderId)).toEqual(['a']);
    expect(result.declined).toEqual([]);
    expect(result.planBsStarted).toEqual([
      {
        orderId: 'a',
        at: at('2026-11-05'),
        detail: 'eIndkomst',
        kind: 'OTHER_SOURCE',
        declineReason: 'Not offered',
        fromState: 'negotiation.declined',
      },
    ]);
    expect(result.agreed.map((h) => h.orderId)).toEqual(['b']);
    // The period's end is excluded.
    expect(result.cancelled).toEqual([]);
  });
});

describe('the test strategy across orders', () => {
  const plan = (
    participants: string[],
    windowStart: string,
    windowEnd: string,
    mode: 'SHARED' | 'PER_PROJECT' = 'PER_PROJECT',
  ) => ({
    responsible: 'KOMBIT',
    mode,
    participantProjectIds: participants,
    windowStart,
    windowEnd,
  });
  const strategy = testStrategy([
    {
      orderId: '1',
      interfaceKey: 'SF1320',
      state: 'test.planning',
      testPlan: plan(['KY', 'KSD'], '2027-01-04', '2027-01-29'),
      elementsByProject: new Map([
        ['KY', ['CPR.NAVN']],
        ['KSD', ['CPR.NAVN']],
      ]),
    },
    {
      orderId: '2',
      interfaceKey: 'SF0800',
      state: 'negotiation.agreed',
      testPlan: null,
      elementsByProject: new Map([
        ['KSD', ['ATP.SALDO']],
        ['BARSEL', ['ATP.SALDO', 'ATP.FERIEDAGE']],
      ]),
    },
    {
      orderId: '3',
      interfaceKey: 'SF1460',
      state: 'test.running',
      testPlan: plan(['KY'], '2027-01-25', '2027-02-12', 'SHARED'),
      elementsByProject: new Map([['KY', ['X']]]),
    },
    {
      orderId: '4',
      interfaceKey: 'SF0462',
      state: 'live',
      testPlan: plan(['KY', 'KSD'], '2027-01-04', '2027-01-29'),
      elementsByProject: new Map([
        ['KY', ['A']],
        ['KSD', ['B']],
      ]),
    },
  ]);

  it('finds interfaces tested by several projects and says whether one shared test would do', () => {
    expect(strategy.testedByMoreThanOneProject).toEqual([
      {
        orderId: '2',
        interfaceKey: 'SF0800',
        state: 'negotiation.agreed',
        projectIds: ['BARSEL', 'KSD'],
        mode: null,
        sharedTestWouldDo: false,
        differingElements: ['ATP.FERIEDAGE'],
      },
      {
        orderId: '1',
        interfaceKey: 'SF1320',
        state: 'test.planning',
        projectIds: ['KSD', 'KY'],
        mode: 'PER_PROJECT',
        sharedTestWouldDo: true,
        differingElements: [],
      },
    ]);
  });

  it('finds orders near test with nobody responsible', () => {
    expect(strategy.nearTestWithoutResponsible).toEqual([
      { orderId: '2', interfaceKey: 'SF0800', state: 'negotiation.agreed' },
    ]);
  });

  it('finds overlapping windows of one project and its load per month (live orders left out)', () => {
    expect(strategy.overlappingWindows).toEqual([
      {
        projectId: 'KY',
        first: { orderId: '1', interfaceKey: 'SF1320', windowStart: '2027-01-04', windowEnd: '2027-01-29' },
        second: { orderId: '3', interfaceKey: 'SF1460', windowStart: '2027-01-25', windowEnd: '2027-02-12' },
        overlapStart: '2027-01-25',
        overlapEnd: '2027-01-29',
      },
    ]);
    expect(strategy.loadPerMonth).toEqual([
      { projectId: 'KSD', month: '2027-01', tests: 1, interfaceKeys: ['SF1320'] },
      { projectId: 'KY', month: '2027-01', tests: 2, interfaceKeys: ['SF1320', 'SF1460'] },
      { projectId: 'KY', month: '2027-02', tests: 1, interfaceKeys: ['SF1460'] },
    ]);
  });
});

describe('bar chart geometry', () => {
  it('draws bars to scale with the largest value or marker, and survives all zeros', () => {
    const chart = barChart([
      { label: 'SKAT', value: 2, marker: 8 },
      { label: 'ATP', value: 4 },
    ]);
    expect(chart.rows.map((row) => [row.barWidth, row.markerX])).toEqual([
      [80, 200 + 320],
      [160, null],
    ]);
    expect(barChart([{ label: 'x', value: 0 }]).rows[0]?.barWidth).toBe(0);
    expect(barChart([]).height).toBe(32);
  });
});
