import { ManualClock } from '@snitflow/common';
import { reminderJobId } from '@snitflow/deadlines';
import { JobName, JobQueues } from '@snitflow/jobs';
import { Reconciler } from '../apps/worker/src/reminders/reconciler.js';
import { ReminderProcessor } from '../apps/worker/src/reminders/reminder.processor.js';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, offeredElements, orderOps, submit } from './support/flows.js';
import { SHORT_SUPPLIER_POLICIES } from './support/reminders.js';

// The supplier has two business days, is reminded one business day before, on the day, then
// daily; the order escalates after two overdue reminders.
const POLICIES = SHORT_SUPPLIER_POLICIES;
// Tuesday 1 December 2026, 09:00 in Copenhagen.
const START = new Date('2026-12-01T08:00:00.000Z');

let api: ApiHarness;
let coordinator: string;
let clock: ManualClock;
let queues: JobQueues;

beforeAll(async () => {
  clock = new ManualClock(START);
  api = await ApiHarness.start({ DEADLINE_POLICIES: POLICIES }, { clock });
  await api.startWorker({ clock });
  coordinator = await api.coordinator();
  queues = api.app.get(JobQueues);
});

afterAll(async () => {
  await api.stop();
});

interface ReminderRow {
  scheduleVersion: number;
  step: number;
  kind: string;
  sendAt: Date;
  status: string;
}

/** The reminders of the order's current schedule (the state it is in now). */
async function reminders(orderId: string): Promise<ReminderRow[]> {
  const result = await api.db.query<ReminderRow>(
    `SELECT r.schedule_version AS "scheduleVersion", r.step, r.kind, r.send_at AS "sendAt", r.status
       FROM order_reminder r JOIN interface_order o ON o.id = r.order_id AND o.schedule_version = r.schedule_version
      WHERE r.order_id = $1 ORDER BY r.step`,
    [orderId],
  );
  return result.rows;
}

async function remindersOfSchedule(orderId: string, scheduleVersion: number): Promise<ReminderRow[]> {
  const result = await api.db.query<ReminderRow>(
    `SELECT schedule_version AS "scheduleVersion", step, kind, send_at AS "sendAt", status
       FROM order_reminder WHERE order_id = $1 AND schedule_version = $2 ORDER BY step`,
    [orderId, scheduleVersion],
  );
  return result.rows;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function sentToSupplier(key: string): Promise<string> {
  clock.set(START);
  const order = await consolidatedOrder(api, coordinator, key, ['KY']);
  await orderOps.send(api, coordinator, order.id);
  return order.id;
}

describe('reminders', () => {
  it('plans the deadline and every reminder when the order enters a waiting state, in Postgres and in Redis', async () => {
    const orderId = await sentToSupplier('SF0462');
    const order = await api.db.query<{ dueAt: Date; scheduleVersion: number; version: number }>(
      'SELECT due_at AS "dueAt", schedule_version AS "scheduleVersion", version FROM interface_order WHERE id = $1',
      [orderId],
    );
    // Two business days after Tuesday: Thursday 3 December, end of office hours (16:00 CET).
    expect(order.rows[0]?.dueAt.toISOString()).toBe('2026-12-03T15:00:00.000Z');
    const planned = await reminders(orderId);
    expect(planned.map((row) => [row.kind, row.sendAt.toISOString()])).toEqual([
      ['BEFORE_DUE', '2026-12-02T07:00:00.000Z'],
      ['ON_DUE', '2026-12-03T07:00:00.000Z'],
      ['OVERDUE', '2026-12-04T07:00:00.000Z'],
      ['OVERDUE', '2026-12-07T07:00:00.000Z'],
      ['ESCALATION', '2026-12-08T07:00:00.000Z'],
    ]);
    const queue = queues.queue(JobName.OrderReminder);
    for (const row of planned) {
      const job = await queue.getJob(reminderJobId(orderId, row.scheduleVersion, row.step));
      // Ids only, plus the id of the request that planned it (for the worker's log lines).
      expect(job?.data).toEqual({
        orderId,
        scheduleVersion: row.scheduleVersion,
        step: row.step,
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(await job?.getState()).toBe('delayed');
    }
  });

  it('gives a new order, created in ordered, its deadline and reminders in the transaction that creates it', async () => {
    // Off the hour, so a time from the database's now() or a rounded one cannot pass for it.
    const created = new Date(START.getTime() + 37 * 60_000 + 123);
    clock.set(created);
    const elements = await offeredElements(api, coordinator, 'SF0740');
    const first = await submit(api, coordinator, {
      interfaceKey: 'SF0740',
      projectId: api.ids.projects.KY,
      dataElements: elements.slice(0, 1),
    });
    const orderId = first.order.id;
    const row = async () =>
      (
        await api.db.query<{ state: string; dueAt: Date; scheduleVersion: number; stateEnteredAt: Date }>(
          `SELECT state, due_at AS "dueAt", schedule_version AS "scheduleVersion",
                  state_entered_at AS "stateEnteredAt" FROM interface_order WHERE id = $1`,
          [orderId],
        )
      ).rows[0];
    const order = await row();
    expect(order?.state).toBe('ordered');
    expect(order?.stateEnteredAt.toISOString()).toBe(created.toISOString());
    // The default policy for ordered: 10 business days after Tuesday 1 December is Tuesday
    // 15 December, at the end of office hours (16:00 CET).
    expect(order?.dueAt.toISOString()).toBe('2026-12-15T15:00:00.000Z');
    expect(order?.scheduleVersion).toBe(0);
    // The coordinators are reminded 2 business days before, on the day, then every 3 business
    // days (24 December is a closing day, 25 and 26 December holidays); the order escalates one
    // interval after the second overdue reminder.
    const planned = await reminders(orderId);
    expect(planned.map((step) => [step.kind, step.sendAt.toISOString(), step.status])).toEqual([
      ['BEFORE_DUE', '2026-12-11T07:00:00.000Z', 'PENDING'],
      ['ON_DUE', '2026-12-15T07:00:00.000Z', 'PENDING'],
      ['OVERDUE', '2026-12-18T07:00:00.000Z', 'PENDING'],
      ['OVERDUE', '2026-12-23T07:00:00.000Z', 'PENDING'],
      ['ESCALATION', '2026-12-30T07:00:00.000Z', 'PENDING'],
    ]);
    const recipients = await api.db.query<{ recipient: string }>(
      'SELECT DISTINCT recipient FROM order_reminder WHERE order_id = $1',
      [orderId],
    );
    expect(recipients.rows).toEqual([{ recipient: 'COORDINATORS' }]);
    // After commit, a delayed wake-up for every step.
    const queue = queues.queue(JobName.OrderReminder);
    for (const step of planned) {
      const job = await queue.getJob(reminderJobId(orderId, step.scheduleVersion, step.step));
      expect(await job?.getState()).toBe('delayed');
    }

    // A second request joins the open order a day later: the order did not enter its state
    // again, so its deadline stays.
    clock.set(new Date(created.getTime() + 86_400_000));
    const second = await submit(api, coordinator, {
      interfaceKey: 'SF0740',
      projectId: api.ids.projects.KSD,
      dataElements: elements.slice(0, 1),
    });
    expect(second.order.id).toBe(orderId);
    expect(await row()).toEqual(order);

    // The schedule fires like any other: the first reminder goes to the coordinators.
    const firstStep = planned[0];
    if (!firstStep) throw new Error('no reminder planned');
    clock.set(firstStep.sendAt);
    await (await queue.getJob(reminderJobId(orderId, firstStep.scheduleVersion, firstStep.step)))?.promote();
    await waitFor(
      async () => (await reminders(orderId)).find((r) => r.step === firstStep.step)?.status === 'DONE',
      'the first reminder of the new order',
    );
    const events = await api.db.query<{ type: string; kind: string }>(
      "SELECT type, payload->>'kind' AS kind FROM order_event WHERE order_id = $1 AND type = 'REMINDER_SENT'",
      [orderId],
    );
    expect(events.rows).toEqual([{ type: 'REMINDER_SENT', kind: 'BEFORE_DUE' }]);
  });

  it('fires them in order through the worker, then escalates to the top of the overdue queue', async () => {
    const orderId = await sentToSupplier('SF0770');
    const queue = queues.queue(JobName.OrderReminder);
    for (const row of await reminders(orderId)) {
      clock.set(row.sendAt);
      const job = await queue.getJob(reminderJobId(orderId, row.scheduleVersion, row.step));
      await job?.promote();
      await waitFor(
        async () => (await reminders(orderId)).find((r) => r.step === row.step)?.status === 'DONE',
        `step ${row.step}`,
      );
    }
    const events = await api.db.query<{ type: string; payload: { step: number } }>(
      "SELECT type, payload FROM order_event WHERE order_id = $1 AND type IN ('REMINDER_SENT', 'ESCALATE') ORDER BY version",
      [orderId],
    );
    expect(events.rows.map((event) => [event.type, event.payload.step])).toEqual([
      ['REMINDER_SENT', 1],
      ['REMINDER_SENT', 2],
      ['REMINDER_SENT', 3],
      ['REMINDER_SENT', 4],
      ['ESCALATE', 5],
    ]);
    const emails = await api.db.query<{ template: string; recipient: string }>(
      'SELECT template, recipient_email AS recipient FROM outbox_email WHERE order_id = $1 ORDER BY created_at, recipient_email',
      [orderId],
    );
    // SKAT has two contacts: each supplier reminder goes to both; the escalation to the coordinators.
    expect(emails.rows.filter((email) => email.template === 'SUPPLIER_REMINDER')).toHaveLength(8);
    expect(emails.rows.filter((email) => email.template === 'COORDINATOR_ESCALATION')).toEqual([
      { template: 'COORDINATOR_ESCALATION', recipient: 'koordinatorer@kombit.example' },
    ]);

    const queueView = await api.ok<{
      overdueQueue: {
        edges: {
          node: {
            id: string;
            escalated: boolean;
            escalationLevel: number;
            businessDaysOverdue: number;
            ballInCourt: string;
          };
        }[];
      };
    }>(
      coordinator,
      '{ overdueQueue { edges { node { id escalated escalationLevel businessDaysOverdue ballInCourt } } } }',
    );
    expect(queueView.overdueQueue.edges[0]?.node).toEqual({
      id: orderId,
      escalated: true,
      escalationLevel: 1,
      // Due Thursday 3 December; now Tuesday 8 December: Friday, Monday, Tuesday.
      businessDaysOverdue: 3,
      ballInCourt: 'SUPPLIER',
    });
  });

  it('reminds the projects still owing a test result by mail, and the coordinators when none has a mailbox', async () => {
    async function runningTest(key: string, participants: ('KY' | 'KSD' | 'OKO')[]): Promise<string> {
      clock.set(START);
      const order = await consolidatedOrder(api, coordinator, key, participants);
      await orderOps.send(api, coordinator, order.id);
      await orderOps.supplier(api, coordinator, order.id, { kind: 'ACCEPT' });
      await orderOps.planTest(
        api,
        coordinator,
        order.id,
        participants.map((p) => api.ids.projects[p]),
      );
      await orderOps.startTest(api, coordinator, order.id);
      return order.id;
    }
    async function fireFirstReminder(
      orderId: string,
    ): Promise<{ template: string; recipient: string; kind: string | null }[]> {
      const [first] = await reminders(orderId);
      if (!first) throw new Error('test.running planned no reminder');
      clock.set(first.sendAt);
      const worker = api.worker?.get(ReminderProcessor);
      if (!worker) throw new Error('no worker');
      const before = await api.db.query<{ id: string }>('SELECT id FROM outbox_email WHERE order_id = $1', [
        orderId,
      ]);
      expect(await worker.fire({ orderId, scheduleVersion: first.scheduleVersion, step: first.step })).toBe(
        'sent',
      );
      const rows = await api.db.query<{ template: string; recipient: string; kind: string | null }>(
        `SELECT template, recipient_email AS recipient, data->>'noticeKind' AS kind FROM outbox_email
          WHERE order_id = $1 AND id <> ALL($2::uuid[]) ORDER BY recipient_email`,
        [orderId, before.rows.map((row) => row.id)],
      );
      return rows.rows;
    }

    // KSD has its result in; OKO has no mailbox: only KY is reminded, the coordinators are not.
    const mixed = await runningTest('SF1320', ['KY', 'KSD', 'OKO']);
    await orderOps.result(api, coordinator, mixed, { projectId: api.ids.projects.KSD, outcome: 'PASSED' });
    expect(await fireFirstReminder(mixed)).toEqual([
      { template: 'PROJECT_UPDATE', recipient: 'ky-projekt@projekter.example', kind: 'TEST_RESULT_DUE' },
    ]);
    // Nobody owing a result can be mailed: the reminder goes to the coordinators instead of nowhere.
    const unreachable = await runningTest('SF1390', ['OKO']);
    expect(await fireFirstReminder(unreachable)).toEqual([
      { template: 'COORDINATOR_REMINDER', recipient: 'koordinatorer@kombit.example', kind: null },
    ]);
  });

  it('reminds the projects still owing an answer to a reduced scope, not those that answered or lost nothing', async () => {
    clock.set(START);
    const order = await consolidatedOrder(api, coordinator, 'SF1460', ['KY', 'KSD', 'BARSEL']);
    await orderOps.send(api, coordinator, order.id);
    await orderOps.supplier(api, coordinator, order.id, {
      kind: 'DECLINE',
      reason: 'Not the second element',
    });
    // KY asked for the first element only; KSD and Barsel lose the second.
    const second = order.specification?.dataElements[1];
    const reduced = await orderOps.planB(api, coordinator, order.id, {
      kind: 'REDUCED_SCOPE',
      description: 'Without the second element',
      droppedDataElements: [second],
    });
    expect(reduced.state).toBe('scopeAcknowledgement');
    await api.ok(
      coordinator,
      'mutation($o: ID!, $i: RespondToScopeReductionInput!) { respondToScopeReduction(orderId: $o, input: $i) { state } }',
      { o: order.id, i: { projectId: api.ids.projects.BARSEL, response: 'ACKNOWLEDGED' } },
    );
    const [first] = await reminders(order.id);
    if (!first) throw new Error('scopeAcknowledgement planned no reminder');
    clock.set(first.sendAt);
    const worker = api.worker?.get(ReminderProcessor);
    if (!worker) throw new Error('no worker');
    const before = await api.db.query<{ id: string }>('SELECT id FROM outbox_email WHERE order_id = $1', [
      order.id,
    ]);
    expect(
      await worker.fire({ orderId: order.id, scheduleVersion: first.scheduleVersion, step: first.step }),
    ).toBe('sent');
    const rows = await api.db.query<{ template: string; recipient: string; kind: string | null }>(
      `SELECT template, recipient_email AS recipient, data->>'noticeKind' AS kind FROM outbox_email
        WHERE order_id = $1 AND id <> ALL($2::uuid[]) ORDER BY recipient_email`,
      [order.id, before.rows.map((row) => row.id)],
    );
    expect(rows.rows).toEqual([
      { template: 'PROJECT_UPDATE', recipient: 'ksd-projekt@projekter.example', kind: 'SCOPE_ANSWER_DUE' },
    ]);
  });

  it('cancels pending reminders when the order moves, and plans the new state', async () => {
    const orderId = await sentToSupplier('SF0780');
    const before = await reminders(orderId);
    await orderOps.supplier(api, coordinator, orderId, { kind: 'ASK', question: 'Which fields?' });
    const old = await remindersOfSchedule(orderId, before[0]?.scheduleVersion ?? -1);
    expect(old.map((row) => row.status)).toEqual(before.map(() => 'CANCELLED'));
    const after = await reminders(orderId);
    const queue = queues.queue(JobName.OrderReminder);
    for (const row of before) {
      expect(await queue.getJob(reminderJobId(orderId, row.scheduleVersion, row.step))).toBeUndefined();
    }
    const current = after.filter((row) => row.status === 'PENDING');
    expect(current.length).toBeGreaterThan(0);
    expect(new Set(current.map((row) => row.scheduleVersion)).size).toBe(1);
  });

  it('lets a coordinator extend the deadline; the reminders and the reply links follow the new date', async () => {
    const orderId = await sentToSupplier('SF0790');
    const linkExpiries = async () =>
      (
        await api.db.query<{ expiresAt: Date }>(
          `SELECT expires_at AS "expiresAt" FROM reply_link WHERE order_id = $1 AND status = 'ACTIVE'`,
          [orderId],
        )
      ).rows.map((row) => row.expiresAt.toISOString());
    // Due Thursday 3 December at 16:00; links live 14 days beyond.
    expect(new Set(await linkExpiries())).toEqual(new Set(['2026-12-17T15:00:00.000Z']));
    const extended = await api.ok<{ extendDeadline: { dueAt: string } }>(
      coordinator,
      'mutation($id: ID!) { extendDeadline(orderId: $id, dueDate: "2026-12-17", reason: "Supplier asked for more time") { dueAt } }',
      { id: orderId },
    );
    expect(extended.extendDeadline.dueAt).toBe('2026-12-17T15:00:00.000Z');
    const pending = (await reminders(orderId)).filter((row) => row.status === 'PENDING');
    expect(pending.map((row) => row.kind)).toEqual([
      'BEFORE_DUE',
      'ON_DUE',
      'OVERDUE',
      'OVERDUE',
      'ESCALATION',
    ]);
    expect(pending[1]?.sendAt.toISOString()).toBe('2026-12-17T07:00:00.000Z');
    const history = await api.db.query<{ type: string }>(
      "SELECT type FROM order_event WHERE order_id = $1 AND type = 'EXTEND_DEADLINE'",
      [orderId],
    );
    expect(history.rowCount).toBe(1);
    expect(new Set(await linkExpiries())).toEqual(new Set(['2026-12-31T15:00:00.000Z']));
  });

  it('moves the reply-by date promised to the supplier on by the business days the hold lasted', async () => {
    clock.set(START);
    const order = await consolidatedOrder(api, coordinator, 'SF1180', ['KY']);
    await orderOps.send(api, coordinator, order.id, { replyBy: '2026-12-22' });
    await orderOps.hold(api, coordinator, order.id, 'Budget review');
    clock.set(new Date('2026-12-04T09:00:00.000Z'));
    await orderOps.resume(api, coordinator, order.id);
    const due = await api.db.query<{ dueAt: Date }>(
      'SELECT due_at AS "dueAt" FROM interface_order WHERE id = $1',
      [order.id],
    );
    // Held from Tuesday 1 to Friday 4 December: 3 business days. The date in the supplier's email,
    // Tuesday 22 December, moves on by 3 business days past 24 (closing day), 25 and 26 December
    // and the weekend: Tuesday 29 December, 16:00 in Copenhagen (not counted afresh from Friday).
    expect(due.rows[0]?.dueAt.toISOString()).toBe('2026-12-29T15:00:00.000Z');
  });

  it('rebuilds exactly the missing wake-ups from Postgres after Redis loses everything, none twice', async () => {
    const orderId = await sentToSupplier('SF0800');
    const reconciler = api.worker?.get(Reconciler);
    if (!reconciler) throw new Error('worker not started');
    // Lose everything this run has in Redis (other runs share the server; their keys stay).
    let cursor = '0';
    do {
      const [next, keys] = await queues.connection.scan(
        cursor,
        'MATCH',
        `${queues.prefix}:reminders:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length) await queues.connection.del(...keys);
    } while (cursor !== '0');
    const pending = await api.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM order_reminder r JOIN interface_order o
          ON o.id = r.order_id AND o.schedule_version = r.schedule_version WHERE r.status = 'PENDING'`,
    );
    const first = await reconciler.reconcile();
    expect(first.pendingReminders).toBe(pending.rows[0]?.count);
    expect(first.restoredReminders).toBe(first.pendingReminders);
    const queue = queues.queue(JobName.OrderReminder);
    for (const row of (await reminders(orderId)).filter((r) => r.status === 'PENDING')) {
      expect(await queue.getJob(reminderJobId(orderId, row.scheduleVersion, row.step))).toBeDefined();
    }
    const second = await reconciler.reconcile();
    expect(second.restoredReminders).toBe(0);

    // One lost job: exactly one is rebuilt.
    const one = (await reminders(orderId)).find((row) => row.status === 'PENDING');
    await queue.remove(reminderJobId(orderId, one?.scheduleVersion ?? 0, one?.step ?? 0));
    expect((await reconciler.reconcile()).restoredReminders).toBe(1);
  });

  it('neither loses nor doubles a reminder when the worker dies mid-job or a job is delivered twice', async () => {
    const orderId = await sentToSupplier('SF0802');
    const processor = api.worker?.get(ReminderProcessor);
    if (!processor) throw new Error('worker not started');
    const [first] = await reminders(orderId);
    if (!first) throw new Error('no reminder planned');
    const job = { orderId, scheduleVersion: first.scheduleVersion, step: first.step };
    clock.set(first.sendAt);
    const versionBefore = await api.db.query<{ version: number }>(
      'SELECT version FROM interface_order WHERE id = $1',
      [orderId],
    );

    // The worker dies after recording the event but before the outbox write commits: nothing lands.
    await api.db.query('ALTER TABLE outbox_email ADD CONSTRAINT simulate_crash CHECK (false) NOT VALID');
    await expect(processor.fire(job)).rejects.toThrow(/simulate_crash/);
    await api.db.query('ALTER TABLE outbox_email DROP CONSTRAINT simulate_crash');
    expect((await reminders(orderId))[0]?.status).toBe('PENDING');
    const versionAfterCrash = await api.db.query<{ version: number }>(
      'SELECT version FROM interface_order WHERE id = $1',
      [orderId],
    );
    expect(versionAfterCrash.rows[0]?.version).toBe(versionBefore.rows[0]?.version);

    // The retry and a duplicate delivery race: exactly one sends.
    const outcomes = await Promise.all([processor.fire(job), processor.fire(job), processor.fire(job)]);
    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'stale')).toHaveLength(2);
    const sent = await api.db.query(
      "SELECT 1 FROM order_event WHERE order_id = $1 AND type = 'REMINDER_SENT' AND (payload->>'step')::int = $2",
      [orderId, first.step],
    );
    expect(sent.rowCount).toBe(1);
    expect(await processor.fire(job)).toBe('stale');
  });
});

describe('the overdue queue', () => {
  it('orders escalated first, then most overdue; filters; pages without overlap', async () => {
    const ids: string[] = [];
    for (const key of ['SF1280', 'SF1290', 'SF1300']) ids.push(await sentToSupplier(key));
    // Make the three overdue by different amounts, and escalate the least overdue one.
    await api.db.query("UPDATE interface_order SET due_at = '2026-11-20T15:00:00Z' WHERE id = $1", [ids[0]]);
    await api.db.query("UPDATE interface_order SET due_at = '2026-11-10T15:00:00Z' WHERE id = $1", [ids[1]]);
    await api.db.query(
      "UPDATE interface_order SET due_at = '2026-11-25T15:00:00Z', escalation_level = 2 WHERE id = $1",
      [ids[2]],
    );
    clock.set(new Date('2026-12-01T10:00:00Z'));
    const query = `query($filter: OverdueFilter, $first: Int, $after: String) {
      overdueQueue(filter: $filter, first: $first, after: $after) {
        edges { node { id escalated } } pageInfo { hasNextPage endCursor } } }`;
    type Page = {
      overdueQueue: {
        edges: { node: { id: string; escalated: boolean } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    // SF1290 and SF1300 are both Staten's: the supplier filter keeps exactly those, escalated first.
    const staten = await api.ok<Page>(coordinator, query, {
      filter: { supplierId: api.ids.suppliers.Staten },
    });
    expect(staten.overdueQueue.edges.map((edge) => edge.node.id)).toEqual([ids[2], ids[1]]);

    const mine = new Set(ids);
    const everything = await api.ok<Page>(coordinator, query, { first: 100 });
    const ordered = everything.overdueQueue.edges.map((edge) => edge.node.id).filter((id) => mine.has(id));
    expect(ordered).toEqual([ids[2], ids[1], ids[0]]);

    const escalated = await api.ok<Page>(coordinator, query, { filter: { escalated: true } });
    expect(escalated.overdueQueue.edges.map((edge) => edge.node.id)).toContain(ids[2]);
    expect(escalated.overdueQueue.edges.every((edge) => edge.node.escalated)).toBe(true);
    const supplierBall = await api.ok<Page>(coordinator, query, {
      filter: { ballInCourt: 'SUPPLIER', state: 'negotiation' },
    });
    expect(supplierBall.overdueQueue.edges.map((edge) => edge.node.id)).toEqual(expect.arrayContaining(ids));

    const paged: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 50; guard += 1) {
      const page: Page = await api.ok<Page>(coordinator, query, { first: 1, after });
      paged.push(...page.overdueQueue.edges.map((edge) => edge.node.id));
      if (!page.overdueQueue.pageInfo.hasNextPage) break;
      after = page.overdueQueue.pageInfo.endCursor;
    }
    expect(paged).toEqual(everything.overdueQueue.edges.map((edge) => edge.node.id));
  });
});
