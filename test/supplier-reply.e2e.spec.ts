import { ErrorCode, ManualClock, SnitflowError } from '@snitflow/common';
import { OrderTransitionService } from '@snitflow/orders';
import type { EntityManager } from 'typeorm';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, getOrder, orderOps } from './support/flows.js';
import { activeLinks as activeLinksOf, csrfOf, postReplyForm } from './support/reply-links.js';

// Tuesday 1 December 2026, 10:00 in Copenhagen.
const START = new Date('2026-12-01T09:00:00.000Z');

let api: ApiHarness;
let coordinator: string;
let clock: ManualClock;
/** Set by a test to make the next supplier event fail inside its transaction, after every write. */
let sabotage: ((tx: EntityManager) => Promise<void>) | null = null;

beforeAll(async () => {
  clock = new ManualClock(START);
  api = await ApiHarness.start({}, { clock });
  coordinator = await api.coordinator();
  // Effects run last in a transition's transaction: a throw here comes after the order row, the
  // event, the link's use and the notice were all written.
  api.app.get(OrderTransitionService).addEffect(async (tx, _result, event) => {
    if (sabotage && event.type.startsWith('SUPPLIER_')) await sabotage(tx);
  });
});

afterAll(async () => {
  await api.stop();
});

const activeLinks = (orderId: string) => activeLinksOf(api, orderId);
const post = (path: string, fields: Record<string, string>) => postReplyForm(api, path, fields);

async function orderSentTo(key: string): Promise<string> {
  clock.set(START);
  const order = await consolidatedOrder(api, coordinator, key, ['KY']);
  await orderOps.send(api, coordinator, order.id);
  return order.id;
}

describe('reply links', () => {
  it('issues one link per recipient with an email each, storing only the token hash', async () => {
    const orderId = await orderSentTo('SF0462');
    const links = await activeLinks(orderId);
    // SKAT has two contacts.
    const contacts = await api.db.query<{ email: string }>(
      'SELECT email FROM supplier_contact WHERE supplier_id = $1 ORDER BY email',
      [api.ids.suppliers.SKAT],
    );
    expect(contacts.rowCount).toBe(2);
    expect(links.map((link) => link.email)).toEqual(contacts.rows.map((row) => row.email));
    const emails = await api.db.query<{ template: string; linkId: string; notBefore: Date }>(
      `SELECT template, data->>'linkId' AS "linkId", not_before AS "notBefore" FROM outbox_email
        WHERE order_id = $1 AND template = 'SUPPLIER_ORDER'`,
      [orderId],
    );
    expect(emails.rowCount).toBe(2);
    const stored = await api.db.query<{ tokenHash: string }>(
      'SELECT token_hash AS "tokenHash" FROM reply_link WHERE order_id = $1',
      [orderId],
    );
    for (const link of links) {
      const token = link.path.split('/').pop() ?? '';
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(JSON.stringify(stored.rows)).not.toContain(token);
      expect(JSON.stringify(emails.rows)).not.toContain(token);
    }
  });

  it('shows the order on GET and changes nothing; answers once on POST; a replay is "already answered"', async () => {
    const orderId = await orderSentTo('SF0770');
    const [link] = await activeLinks(orderId);
    if (!link) throw new Error('no link');
    const before = await api.rowCounts();
    const page = await fetch(`${api.url}${link.path}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('SF0770');
    expect(html).toMatch(/<html lang="da"/);
    await fetch(`${api.url}${link.path}?lang=en`);
    expect(await api.rowCounts()).toEqual(before);

    const noCsrf = await post(link.path, { answer: 'accept' });
    expect(noCsrf.status).toBe(403);
    expect(await api.rowCounts()).toEqual(before);

    const accepted = await post(link.path, { answer: 'accept', csrf: csrfOf(html), note: 'Fine by us' });
    expect(accepted.status).toBe(200);
    const order = await getOrder(api, coordinator, orderId);
    expect(order.state).toBe('negotiation.agreed');
    const event = await api.db.query<{ type: string; actorId: string; actorRole: string }>(
      `SELECT type, actor_id AS "actorId", actor_role AS "actorRole" FROM order_event
        WHERE order_id = $1 ORDER BY version DESC LIMIT 1`,
      [orderId],
    );
    expect(event.rows[0]).toEqual({ type: 'SUPPLIER_ACCEPTS', actorId: link.email, actorRole: 'supplier' });
    const notice = await api.db.query(
      "SELECT 1 FROM outbox_email WHERE order_id = $1 AND template = 'COORDINATOR_SUPPLIER_REPLIED'",
      [orderId],
    );
    expect(notice.rowCount).toBe(1);

    const replay = await post(link.path, { answer: 'accept', csrf: csrfOf(html) });
    expect(replay.status).toBe(409);
    const afterReplay = await api.db.query(
      "SELECT 1 FROM order_event WHERE order_id = $1 AND type = 'SUPPLIER_ACCEPTS'",
      [orderId],
    );
    expect(afterReplay.rowCount).toBe(1);
  });

  it('refuses tampered, retired and expired links with the right page, changing nothing', async () => {
    const orderId = await orderSentTo('SF0780');
    const [first] = await activeLinks(orderId);
    if (!first) throw new Error('no link');
    const tampered = `${first.path.slice(0, -1)}${first.path.endsWith('A') ? 'B' : 'A'}`;
    const tamperedPage = await fetch(`${api.url}${tampered}`);
    expect(tamperedPage.status).toBe(404);
    expect(await tamperedPage.text()).toContain('<h1>Linket virker ikke</h1>');
    expect((await fetch(`${api.url}/reply/not-a-token`)).status).toBe(404);

    // The supplier asks; the coordinators answer: a new round retires the first links.
    await orderOps.supplier(api, coordinator, orderId, { kind: 'ASK', question: 'Which fields?' });
    await orderOps.answer(api, coordinator, orderId, 'All of them');
    const retired = await fetch(`${api.url}${first.path}`);
    expect(retired.status).toBe(410);
    const retiredHtml = await retired.text();
    expect(retiredHtml).toContain('<h1>Der er sendt et nyere link</h1>');
    expect(retiredHtml).toContain('koordinatorer@kombit.example');

    const [current] = await activeLinks(orderId);
    if (!current) throw new Error('no current link');
    const html = await (await fetch(`${api.url}${current.path}`)).text();
    clock.set(new Date('2027-06-01T09:00:00.000Z'));
    const before = await api.rowCounts();
    const expired = await post(current.path, { answer: 'accept', csrf: csrfOf(html) });
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('<h1>Svarperioden er slut</h1>');
    expect(await api.rowCounts()).toEqual(before);
    clock.set(START);
  });

  it('shows what anyone typed as text, never as markup', async () => {
    const orderId = await orderSentTo('SF0790');
    const [link] = await activeLinks(orderId);
    if (!link) throw new Error('no link');
    const html = await (await fetch(`${api.url}${link.path}`)).text();
    const refused = await post(link.path, {
      answer: 'propose',
      csrf: csrfOf(html),
      priceKroner: 'lots',
      conditions: '<script>alert("x")</script>',
    });
    expect(refused.status).toBe(400);
    expect(refused.html).not.toContain('<script>alert');
    expect(refused.html).toContain('&lt;script&gt;');
    expect((await getOrder(api, coordinator, orderId)).state).toBe('negotiation.awaitingSupplier');
  });

  it('rolls an answer back when the machine refuses it late, and says the order moved on', async () => {
    const orderId = await orderSentTo('SF0800');
    const [link] = await activeLinks(orderId);
    if (!link) throw new Error('no link');
    const html = await (await fetch(`${api.url}${link.path}`)).text();
    const before = await api.rowCounts();
    sabotage = async () => {
      throw new SnitflowError(ErrorCode.INVALID_TRANSITION, 'the order moved on');
    };
    try {
      const refused = await post(link.path, { answer: 'accept', csrf: csrfOf(html), lang: 'en' });
      expect(refused.status).toBe(410);
      expect(refused.html).toContain('The order no longer awaits your answer');
    } finally {
      sabotage = null;
    }
    // Nothing of the refused answer was committed: no event, the link unused, no notice.
    expect(await api.rowCounts()).toEqual(before);
    expect((await getOrder(api, coordinator, orderId)).state).toBe('negotiation.awaitingSupplier');
    expect((await post(link.path, { answer: 'accept', csrf: csrfOf(html) })).status).toBe(200);
  });

  it('answers an unexpected error with an HTML page quoting the request id, in the page language, and rolls back', async () => {
    // CSC Scandihealth's one contact reads English: the page's language comes from the link.
    const orderId = await orderSentTo('SF0830');
    const [link] = await activeLinks(orderId);
    if (!link) throw new Error('no link');
    const html = await (await fetch(`${api.url}${link.path}`)).text();
    const before = await api.rowCounts();
    const failures: [string, (tx: EntityManager) => Promise<void>][] = [
      [
        'a deadlock',
        async (tx) => {
          await tx.query(
            "DO $$ BEGIN RAISE EXCEPTION 'deadlock detected (simulated)' USING ERRCODE = '40P01'; END $$",
          );
        },
      ],
      [
        'a domain error that does not mean the order moved on',
        async () => {
          throw new SnitflowError(ErrorCode.NOT_FOUND, 'something vanished');
        },
      ],
    ];
    const requestIds = new Set<string>();
    for (const [what, failure] of failures) {
      sabotage = failure;
      let response: Awaited<ReturnType<typeof post>>;
      try {
        response = await post(link.path, { answer: 'accept', csrf: csrfOf(html) });
      } finally {
        sabotage = null;
      }
      const page = response.html;
      expect([what, response.status]).toEqual([what, 500]);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(page).toMatch(/^<!DOCTYPE html>/);
      expect(page).toContain('<html lang="en">');
      expect(page).toContain('Something went wrong');
      expect(page).toContain('koordinatorer@kombit.example');
      const requestId = /error reference <strong>([0-9a-f-]{36})<\/strong>/.exec(page)?.[1];
      expect(requestId).toBeDefined();
      requestIds.add(requestId ?? '');
      expect(page).not.toContain('deadlock');
      expect(page).not.toContain('vanished');
      expect(await api.rowCounts()).toEqual(before);
    }
    expect(requestIds.size).toBe(failures.length);
    // Rolled back, so the link still answers, once.
    expect((await post(link.path, { answer: 'accept', csrf: csrfOf(html) })).status).toBe(200);
    expect((await getOrder(api, coordinator, orderId)).state).toBe('negotiation.agreed');
  });
});
