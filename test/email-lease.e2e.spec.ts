import { ApiHarness } from './support/api-harness.js';
import { allowConnections, refuseConnections } from './support/database.js';
import { consolidatedOrder, orderOps, projectNoticesSettled } from './support/flows.js';
import { SmtpSink } from './support/smtp-sink.js';

// The email sender claims a row with a lease, talks SMTP outside any transaction, and marks it
// SENT in a second short transaction. Faults only on this file's own database.
const sink = new SmtpSink();
let api: ApiHarness;
let coordinator: string;

beforeAll(async () => {
  await sink.start();
  api = await ApiHarness.start({
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    SUPPLIER_EMAIL_HOURS: 'any',
    JOB_BACKOFF_MS: '20',
    WAKE_UP_RETRY_MAX_SECONDS: '1',
  });
  coordinator = await api.coordinator();
  await api.startWorker();
});

afterAll(async () => {
  await allowConnections(api.databaseName);
  await api?.stop();
  await sink.stop();
});

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function supplierEmails(orderId: string) {
  const result = await api.db.query<{
    id: string;
    status: string;
    messageId: string;
    lastError: string | null;
  }>(
    `SELECT id, status, message_id AS "messageId", last_error AS "lastError" FROM outbox_email
      WHERE order_id = $1 AND template = 'SUPPLIER_ORDER' ORDER BY id`,
    [orderId],
  );
  return result.rows;
}

describe('the email sender', () => {
  it('holds no lock and no open transaction while the mail server takes its time', async () => {
    sink.replyDelayMs = 1500;
    try {
      const order = await consolidatedOrder(api, coordinator, 'SF1320', ['KY']);
      await orderOps.send(api, coordinator, order.id);
      const [email] = await supplierEmails(order.id);
      if (!email) throw new Error('no supplier email');
      // The server has the message and keeps the sender waiting for its "250 OK".
      await waitFor(async () => sink.withId(email.messageId).length === 1, 'the server to have it');
      const locked = await api.db.query('SELECT id FROM outbox_email WHERE id = $1 FOR UPDATE NOWAIT', [
        email.id,
      ]);
      expect(locked.rowCount).toBe(1);
      const open = await api.db.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
      );
      expect(open.rowCount).toBe(0);
      await waitFor(
        async () => (await supplierEmails(order.id)).every((row) => row.status === 'SENT'),
        'SENT',
      );
    } finally {
      sink.replyDelayMs = 0;
    }
  });

  it('records an email the server accepted as SENT, though the database went away before the mark and the order moved on meanwhile', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF0800', ['KY']);
    // The fault strikes at the next message the server gets: that must be this order's supplier
    // email, not a project notice of the set-up still on its way.
    await projectNoticesSettled(api);
    let struck = false;
    sink.beforeReply = async () => {
      if (struck) return;
      struck = true;
      // Between the server having the message and the sender marking it: the order is cancelled
      // (its link dies), then the database refuses connections for a while.
      await orderOps.cancel(api, coordinator, order.id, 'Project stopped');
      await refuseConnections(api.databaseName);
      setTimeout(() => void allowConnections(api.databaseName), 1500).unref();
    };
    try {
      await orderOps.send(api, coordinator, order.id);
      await waitFor(async () => struck, 'the fault to strike');
      await waitFor(
        async () => (await supplierEmails(order.id)).every((row) => row.status !== 'PENDING'),
        'every supplier email to be settled',
      );
    } finally {
      sink.beforeReply = null;
      await allowConnections(api.databaseName);
    }
    const rows = await supplierEmails(order.id);
    expect(rows.length).toBeGreaterThan(0);
    // The one the server took is SENT (not SUPERSEDED), and it was given to the server once.
    const accepted = rows.filter((row) => sink.withId(row.messageId).length > 0);
    expect(accepted.length).toBeGreaterThan(0);
    for (const row of accepted) {
      expect({ status: row.status, lastError: row.lastError }).toEqual({ status: 'SENT', lastError: null });
      expect(sink.withId(row.messageId)).toHaveLength(1);
    }
  }, 60_000);
});
