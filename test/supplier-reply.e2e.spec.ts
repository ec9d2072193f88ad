import { ManualClock } from '@snitflow/common';
import { ReplyLinks } from '@snitflow/orders';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, getOrder, orderOps } from './support/flows.js';

// Tuesday 1 December 2026, 10:00 in Copenhagen.
const START = new Date('2026-12-01T09:00:00.000Z');

let api: ApiHarness;
let coordinator: string;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(START);
  api = await ApiHarness.start({}, { clock });
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api.stop();
});

/** The reply URLs of an order's active links, rebuilt as the email sender does. */
async function activeLinks(orderId: string): Promise<{ url: string; path: string; email: string }[]> {
  const links = api.app.get(ReplyLinks);
  const rows = await api.db.query<{ id: string; email: string }>(
    `SELECT l.id, c.email FROM reply_link l JOIN supplier_contact c ON c.id = l.contact_id
      WHERE l.order_id = $1 AND l.status = 'ACTIVE' ORDER BY c.email`,
    [orderId],
  );
  return rows.rows.map((row) => {
    const url = links.urlFor(row.id);
    return { url, path: new URL(url).pathname, email: row.email };
  });
}

async function orderSentTo(key: string): Promise<string> {
  clock.set(START);
  const order = await consolidatedOrder(api, coordinator, key, ['KY']);
  await orderOps.send(api, coordinator, order.id);
  return order.id;
}

function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no csrf field on the page');
  return match[1];
}

async function post(path: string, fields: Record<string, string>) {
  const response = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, html: await response.text() };
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
    expect((await fetch(`${api.url}${tampered}`)).status).toBe(404);
    expect((await fetch(`${api.url}/reply/not-a-token`)).status).toBe(404);

    // The supplier asks; the coordinators answer: a new round retires the first links.
    await orderOps.supplier(api, coordinator, orderId, { kind: 'ASK', question: 'Which fields?' });
    await orderOps.answer(api, coordinator, orderId, 'All of them');
    const retired = await fetch(`${api.url}${first.path}`);
    expect(retired.status).toBe(410);
    expect(await retired.text()).toContain('koordinatorer@kombit.example');

    const [current] = await activeLinks(orderId);
    if (!current) throw new Error('no current link');
    const html = await (await fetch(`${api.url}${current.path}`)).text();
    clock.set(new Date('2027-06-01T09:00:00.000Z'));
    const before = await api.rowCounts();
    const expired = await post(current.path, { answer: 'accept', csrf: csrfOf(html) });
    expect(expired.status).toBe(410);
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

  it('rate-limits one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1) statuses.push((await fetch(`${api.url}/reply/not-a-token-${i}`)).status);
    expect(statuses).toContain(429);
  });
});
