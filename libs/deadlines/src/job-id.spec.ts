import { DeadlineInputError, parseReminderJobId, reminderJobId } from '@snitflow/deadlines';

const ORDER_ID = '3f0c9a52-7b1e-4d2a-9c61-0a4b8e2f5d17';

describe('reminderJobId', () => {
  it('is deterministic, readable and free of colons', () => {
    const id = reminderJobId(ORDER_ID, 3, 2);
    expect(id).toBe(`reminder-${ORDER_ID}-v3-s2`);
    expect(reminderJobId(ORDER_ID, 3, 2)).toBe(id);
    expect(id).not.toContain(':');
  });

  it.each([
    [ORDER_ID, 0, 1],
    [ORDER_ID, 12, 5],
    ['order-v1-s2', 1, 3], // an order id that looks like a suffix still round-trips
    ['x', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ])('round-trips (%s, %i, %i)', (orderId, stateEntryVersion, step) => {
    const id = reminderJobId(orderId, stateEntryVersion, step);
    expect(id).not.toContain(':');
    expect(parseReminderJobId(id)).toEqual({ orderId, stateEntryVersion, step });
  });

  it('differs for every part of the key', () => {
    const ids = new Set([
      reminderJobId(ORDER_ID, 1, 1),
      reminderJobId(ORDER_ID, 1, 2),
      reminderJobId(ORDER_ID, 2, 1),
      reminderJobId(`${ORDER_ID}0`, 1, 1),
      reminderJobId(ORDER_ID, 11, 1),
      reminderJobId(ORDER_ID, 1, 11),
    ]);
    expect(ids.size).toBe(6);
  });

  it.each([
    ['an empty order id', '', 1, 1],
    ['a colon in the order id', 'order:1', 1, 1],
    ['a negative version', ORDER_ID, -1, 1],
    ['a fractional version', ORDER_ID, 1.5, 1],
    ['step 0', ORDER_ID, 1, 0],
    ['an unsafe step', ORDER_ID, 1, 2 ** 53],
  ])('rejects %s', (_name, orderId, version, step) => {
    expect(() => reminderJobId(orderId, version, step)).toThrow(DeadlineInputError);
  });
});

describe('parseReminderJobId', () => {
  it.each([
    '',
    'reminder-',
    `${ORDER_ID}-v1-s1`,
    `reminder-${ORDER_ID}-v1`,
    `reminder-${ORDER_ID}-v1-s0`,
    `reminder-${ORDER_ID}-v01-s1`,
    `reminder-${ORDER_ID}-v1-s01`,
    `reminder-${ORDER_ID}-v-1-s1`,
    `reminder-${ORDER_ID}-v1-s1 `,
    'reminder--v1-s1',
    'reminder-order:1-v1-s1',
    'reminder-x-v1-s99999999999999999999',
    `escalation-${ORDER_ID}-v1-s1`,
  ])('returns null for %p', (id) => {
    expect(parseReminderJobId(id)).toBeNull();
  });
});
