import type { ApiHarness } from './api-harness.js';

/** A planned reminder step of an order's current schedule, as tests fire it by hand. */
export interface ReminderStep {
  scheduleVersion: number;
  step: number;
  sendAt: Date;
}

/**
 * The first supplier reminder still to fire in the order's current schedule (not an escalation,
 * which goes to the coordinators); throws when there is none.
 */
export async function nextSupplierReminder(api: ApiHarness, orderId: string): Promise<ReminderStep> {
  const result = await api.db.query<ReminderStep>(
    `SELECT r.schedule_version AS "scheduleVersion", r.step, r.send_at AS "sendAt"
       FROM order_reminder r JOIN interface_order o ON o.id = r.order_id AND o.schedule_version = r.schedule_version
      WHERE r.order_id = $1 AND r.status = 'PENDING' AND r.recipient = 'SUPPLIER' AND r.kind <> 'ESCALATION'
      ORDER BY r.step LIMIT 1`,
    [orderId],
  );
  const row = result.rows[0];
  if (!row) throw new Error(`order ${orderId} has no supplier reminder to fire`);
  return row;
}

/**
 * Short deadline policies for reminder tests: the supplier has two business days, is reminded one
 * business day before, on the day, then daily; the order escalates after two overdue reminders.
 */
export const SHORT_SUPPLIER_POLICIES = JSON.stringify({
  'negotiation.awaitingSupplier': {
    businessDays: 2,
    reminders: {
      beforeDueBusinessDays: [1],
      onDue: true,
      repeatEveryBusinessDays: 1,
      escalateAfterOverdueReminders: 2,
    },
  },
});
