import { answeredWaits, median, percentile } from './supplier-stats.js';

describe('median and nearest-rank percentile', () => {
  it.each([
    [[], null, null],
    [[4], 4, 4],
    [[1, 3], 2, 3],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9],
    [[0, 0, 1, 2, 30], 1, 30],
  ])('%j → median %p, p90 %p', (values, expectedMedian, expectedP90) => {
    expect(median(values)).toBe(expectedMedian);
    expect(percentile(values, 90)).toBe(expectedP90);
  });
});

describe('answered waits', () => {
  const day = (d: number) => new Date(Date.UTC(2026, 11, d, 9));
  // Whole days apart stand in for business days here.
  const between = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 86_400_000);
  const event = (
    type: string,
    fromState: string,
    toState: string,
    d: number,
    sentTo: string | null = null,
  ) => ({
    orderId: 'o1',
    type,
    fromState,
    toState,
    occurredAt: day(d),
    sentTo,
    orderSupplierId: 'skat',
  });
  const AWAITING = 'negotiation.awaitingSupplier';

  it('leave holds out and end with the answer after them', () => {
    expect(
      answeredWaits(
        [
          event('SEND_TO_SUPPLIER', 'consolidated', AWAITING, 1),
          event('PUT_ON_HOLD', AWAITING, 'onHold', 3),
          event('RESUME', 'onHold', AWAITING, 8),
          event('SUPPLIER_PROPOSES', AWAITING, 'negotiation.proposalReceived', 10),
        ],
        between,
      ),
    ).toEqual([{ supplierId: 'skat', businessDays: 4 }]);
  });

  it('count a wait ended by plan B or a cancellation during a hold as no answer; a new round is a new wait', () => {
    expect(
      answeredWaits(
        [
          event('SEND_TO_SUPPLIER', 'consolidated', AWAITING, 1, 'atp'),
          event('START_PLAN_B', AWAITING, 'planB', 2),
          event('SEND_TO_SUPPLIER', 'planB', AWAITING, 3, 'kl'),
          event('PUT_ON_HOLD', AWAITING, 'onHold', 4),
          event('CANCEL', 'onHold', 'cancelled', 5),
        ],
        between,
      ),
    ).toEqual([]);
    expect(
      answeredWaits(
        [
          event('SEND_TO_SUPPLIER', 'consolidated', AWAITING, 1, 'atp'),
          event('SUPPLIER_ASKS', AWAITING, 'negotiation.clarification', 2),
          event('ANSWER_SUPPLIER', 'negotiation.clarification', AWAITING, 4),
          event('SUPPLIER_ACCEPTS', AWAITING, 'negotiation.agreed', 7),
        ],
        between,
      ),
    ).toEqual([
      { supplierId: 'atp', businessDays: 1 },
      { supplierId: 'atp', businessDays: 3 },
    ]);
  });
});
