import { ManualClock } from '@snitflow/common';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, orderOps } from './support/flows.js';
import { activeLinks, csrfOf, postReplyForm } from './support/reply-links.js';

// Tuesday 1 December 2026, 10:00 in Copenhagen. Its own API: the reply page allows 30 requests
// a minute per address, and the other reply tests use theirs.
const clock = new ManualClock(new Date('2026-12-01T09:00:00.000Z'));
let api: ApiHarness;
let coordinator: string;

beforeAll(async () => {
  api = await ApiHarness.start({}, { clock });
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api?.stop();
});

async function page(path: string): Promise<{ status: number; html: string }> {
  const response = await fetch(`${api.url}${path}?lang=en`);
  return { status: response.status, html: await response.text() };
}

/** SKAT has two contacts: each gets a link of its own. */
async function sentToSkat(key: string): Promise<{ orderId: string; paths: string[] }> {
  const order = await consolidatedOrder(api, coordinator, key, ['KY']);
  await orderOps.send(api, coordinator, order.id);
  const links = await activeLinks(api, order.id);
  expect(links).toHaveLength(2);
  return { orderId: order.id, paths: links.map((link) => link.path) };
}

describe('what a link says when it cannot answer', () => {
  it('a colleague answered first: says so, not that a newer email was sent', async () => {
    const { paths } = await sentToSkat('SF0462');
    const [mine, colleagues] = paths as [string, string];
    const form = await page(colleagues);
    const answered = await postReplyForm(api, colleagues, {
      answer: 'accept',
      csrf: csrfOf(form.html),
      lang: 'en',
    });
    expect(answered.status).toBe(200);
    const after = await page(mine);
    expect(after.status).toBe(409);
    expect(after.html).toContain('A colleague has already answered');
  });

  it('on hold: says the order is paused, and the same link answers again after the resume', async () => {
    const { orderId, paths } = await sentToSkat('SF0770');
    const [path] = paths as [string];
    await orderOps.hold(api, coordinator, orderId, 'Budget review');
    const paused = await page(path);
    expect(paused.status).toBe(409);
    expect(paused.html).toContain('The order is on hold');
    await orderOps.resume(api, coordinator, orderId);
    const again = await page(path);
    expect(again.status).toBe(200);
    expect(again.html).toContain('name="csrf"');
  });

  it('answered another way (by phone): says the order no longer awaits an answer through it', async () => {
    const { orderId, paths } = await sentToSkat('SF0780');
    await orderOps.supplier(api, coordinator, orderId, { kind: 'ACCEPT' });
    const closed = await page(paths[0] as string);
    expect(closed.status).toBe(410);
    expect(closed.html).toContain('The order no longer awaits your answer');
    // Held afterwards, the link still says so: it will not work again after the resume.
    await orderOps.hold(api, coordinator, orderId, 'Budget review');
    const held = await page(paths[0] as string);
    expect(held.status).toBe(410);
    expect(held.html).toContain('The order no longer awaits your answer');
  });
});
