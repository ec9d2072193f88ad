import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OrderTransitionService, Outbox } from '@snitflow/orders';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder } from './support/flows.js';
import { SmtpSink } from './support/smtp-sink.js';
import { runId } from './support/test-env.js';

// The real worker, built and run as a process of its own, killed with SIGKILL between the
// mail server having the message and the worker marking its row: what a crash or an
// `kill -9` does, with nothing in the process able to clean up.
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
// Inside the repository, so the built code resolves node_modules as dist/ does.
const BUILD = join(ROOT, 'node_modules', '.cache', `snitflow-worker-${runId()}`);

const sink = new SmtpSink();
let api: ApiHarness;
const workers: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [join(BUILD, 'apps/worker/src/main.js')], {
    // The harness put this test's database, Redis prefix and SMTP server into process.env.
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  workers.push(child);
  return child;
}

async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--out', BUILD], { cwd: ROOT, stdio: 'ignore' });
  await sink.start();
  api = await ApiHarness.start({
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    EMAIL_MAX_ATTEMPTS: '8',
    // Shorter than BullMQ's 30 s job lock, so the lease has lapsed when the job is handed on.
    EMAIL_LEASE_SECONDS: '20',
  });
}, 60_000);

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
  await api?.stop();
  await sink.stop();
  rmSync(BUILD, { recursive: true, force: true });
});

describe('a worker killed between sending and marking', () => {
  it('loses nothing: another worker sends the email again with the same Message-ID and marks it once', async () => {
    const order = await consolidatedOrder(api, await api.coordinator(), 'SF0800', ['KY']);
    // The server takes the message but holds its answer: the worker is killed while it waits.
    sink.replyDelayMs = 60_000;
    const [id] = await api.app.get(OrderTransitionService).inTransaction((tx) =>
      api.app.get(Outbox).add(tx, [
        {
          orderId: order.id,
          template: 'COORDINATOR_REMINDER',
          language: 'da',
          recipientEmail: 'koordinatorer@kombit.example',
          recipientName: 'KOMBIT koordinatorer',
          data: { reminderNumber: 1, overdueBusinessDays: 0 },
          notBefore: new Date(),
        },
      ]),
    );
    const row = async () =>
      (
        await api.db.query<{ status: string; messageId: string; sentAt: Date | null }>(
          'SELECT status, message_id AS "messageId", sent_at AS "sentAt" FROM outbox_email WHERE id = $1',
          [id],
        )
      ).rows[0];
    const messageId = (await row())?.messageId ?? '';
    const delivered = () => sink.withId(messageId);

    const first = startWorker();
    await waitFor(() => delivered().length === 1, 'the first worker to hand the message over', 30_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    // It held a lease, not a transaction: the row is not marked, so the email is not lost.
    expect((await row())?.status).toBe('PENDING');

    sink.replyDelayMs = 0;
    startWorker();
    // BullMQ hands the dead worker's job to the new one once its lock lapses (30 s); by then the
    // dead worker's lease (20 s) has lapsed too, so it is sent again.
    await waitFor(async () => (await row())?.status === 'SENT', 'the second worker to send and mark', 90_000);

    const final = await row();
    expect(final?.sentAt).not.toBeNull();
    // Twice at the server, recognisably one message: the receiver can drop the duplicate.
    expect(delivered().map((m) => m.messageId)).toEqual([messageId, messageId]);
  }, 150_000);
});
