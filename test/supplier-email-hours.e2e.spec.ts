import { ManualClock } from '@snitflow/common';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, orderOps } from './support/flows.js';

// Friday 27 November 2026, 00:30 in Copenhagen: outside office hours. The next office-hours
// instant is the same Friday at 08:00 (07:00 UTC).
const NIGHT = new Date('2026-11-26T23:30:00.000Z');
const NEXT_OFFICE_HOURS = new Date('2026-11-27T07:00:00.000Z');

async function supplierEmailTimes(
  hours: 'office' | 'any',
  calendar: { CLOSING_DAYS?: string; OFFICE_HOURS?: string } = {},
): Promise<{ notBefore: Date[] }> {
  const api = await ApiHarness.start(
    // Explicit defaults: the harness keeps the environment of the previous start.
    {
      SUPPLIER_EMAIL_HOURS: hours,
      CLOSING_DAYS: '12-24,12-31,06-05',
      OFFICE_HOURS: '08:00-16:00',
      ...calendar,
    },
    { clock: new ManualClock(NIGHT) },
  );
  try {
    const coordinator = await api.coordinator();
    const order = await consolidatedOrder(api, coordinator, 'SF0462', ['KY']);
    await orderOps.send(api, coordinator, order.id);
    const rows = await api.db.query<{ notBefore: Date }>(
      `SELECT not_before AS "notBefore" FROM outbox_email WHERE order_id = $1 AND template = 'SUPPLIER_ORDER'`,
      [order.id],
    );
    return { notBefore: rows.rows.map((row) => row.notBefore) };
  } finally {
    await api.stop();
  }
}

describe('when supplier emails go out (SUPPLIER_EMAIL_HOURS)', () => {
  it('office (the default): an order sent at night is held until 08:00 on the next business day', async () => {
    const { notBefore } = await supplierEmailTimes('office');
    // SKAT has two contacts: one email each, both held.
    expect(notBefore).toEqual([NEXT_OFFICE_HOURS, NEXT_OFFICE_HOURS]);
  });

  it('any: the same order at the same hour goes out at once', async () => {
    const { notBefore } = await supplierEmailTimes('any');
    expect(notBefore).toEqual([NIGHT, NIGHT]);
  });

  it('follows the configured calendar: a closing day is skipped, office hours start when configured', async () => {
    // Friday 27 November closed: the next office-hours instant is Monday 30 November, 08:00.
    const closed = await supplierEmailTimes('office', { CLOSING_DAYS: '12-24,12-31,2026-11-27' });
    expect(closed.notBefore).toEqual([
      new Date('2026-11-30T07:00:00.000Z'),
      new Date('2026-11-30T07:00:00.000Z'),
    ]);
    const late = await supplierEmailTimes('office', { OFFICE_HOURS: '09:30-15:00' });
    expect(late.notBefore).toEqual([
      new Date('2026-11-27T08:30:00.000Z'),
      new Date('2026-11-27T08:30:00.000Z'),
    ]);
  });
});
