import { ManualClock } from '@snitflow/common';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, getOrder, orderOps } from './support/flows.js';
import { PathProxy } from './support/path-proxy.js';
import { activeLinks, csrfOf } from './support/reply-links.js';

// snitflow served at http://host/snitflow by a reverse proxy (PUBLIC_BASE_URL has that path).
// Everything is done through the proxy only, as a supplier's or an operator's browser would:
// a self-link without the prefix does not reach the API (the proxy answers 404).
const PREFIX = '/snitflow';
const stripping = new PathProxy(PREFIX, { stripPrefix: true });
// The same API behind a proxy that forwards the prefix as is (`proxy_pass http://api;`).
const keeping = new PathProxy(PREFIX, { stripPrefix: false });

let api: ApiHarness;
let coordinator: string;
const clock = new ManualClock(new Date('2026-12-01T09:00:00.000Z'));

beforeAll(async () => {
  await stripping.listen();
  await keeping.listen();
  api = await ApiHarness.start({ PUBLIC_BASE_URL: stripping.publicBaseUrl }, { clock });
  stripping.upstream = api.url;
  keeping.upstream = api.url;
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api?.stop();
  await stripping.close();
  await keeping.close();
});

function attribute(html: string, pattern: RegExp): string {
  const value = pattern.exec(html)?.[1];
  if (value === undefined) throw new Error(`nothing matches ${pattern}`);
  return value.replaceAll('&amp;', '&');
}

describe.each([
  ['strips the prefix', stripping, 'SF0830'],
  ['forwards the prefix', keeping, 'SF1320'],
] as const)('behind a proxy at /snitflow that %s', (_name, proxy, interfaceKey) => {
  const origin = () => `http://127.0.0.1:${proxy.port}`;

  it('the supplier opens the emailed link, switches language and answers, all under /snitflow', async () => {
    const order = await consolidatedOrder(api, coordinator, interfaceKey, ['KY']);
    await orderOps.send(api, coordinator, order.id);
    const [link] = await activeLinks(api, order.id);
    if (!link) throw new Error('no reply link');
    // The emailed link is PUBLIC_BASE_URL + /reply/<token>.
    expect(link.url.startsWith(`${stripping.publicBaseUrl}/reply/`)).toBe(true);

    const page = await fetch(`${origin()}${link.path}`);
    expect(page.status).toBe(200);
    const html = await page.text();

    const switchHref = attribute(html, /<nav class="lang"[^>]*><a href="([^"]+)"/);
    expect(switchHref).toBe(`${link.path}?lang=${/<html lang="da">/.test(html) ? 'en' : 'da'}`);
    const switched = await fetch(`${origin()}${switchHref}`);
    expect(switched.status).toBe(200);
    const switchedHtml = await switched.text();

    const action = attribute(switchedHtml, /<form method="post" action="([^"]+)"/);
    expect(action).toBe(link.path);
    const answered = await fetch(`${origin()}${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        csrf: csrfOf(switchedHtml),
        lang: attribute(switchedHtml, /name="lang" value="([a-z]+)"/),
        answer: 'accept',
      }).toString(),
    });
    expect(answered.status).toBe(200);
    expect(await answered.text()).toMatch(/Tak for jeres svar|Thank you for your answer/);
    expect((await getOrder(api, coordinator, order.id)).state).toBe('negotiation.agreed');
    expect(proxy.refused).toEqual([]);
  });

  it('the queue dashboard: redirects, sign-in form, cookie and the board itself stay under /snitflow', async () => {
    const anonymous = await fetch(`${origin()}${PREFIX}/admin/queues`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    const loginPath = anonymous.headers.get('location') ?? '';
    expect(loginPath).toBe(`${PREFIX}/admin/login`);

    const form = await fetch(`${origin()}${loginPath}`);
    expect(form.status).toBe(200);
    const action = attribute(await form.text(), /<form method="post" action="([^"]+)"/);
    expect(action).toBe(`${PREFIX}/admin/login`);

    const login = await fetch(`${origin()}${action}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: coordinator }).toString(),
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe(`${PREFIX}/admin/queues`);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`Path=${PREFIX}/admin;`);

    const board = await fetch(`${origin()}${login.headers.get('location')}`, {
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    expect(board.status).toBe(200);
    const boardHtml = await board.text();
    // The board's own assets and API calls are addressed under the prefix too.
    // (Bull Board writes a <base href> and addresses its scripts relative to it.)
    const base = attribute(boardHtml, /<base href="([^"]+)"/);
    expect(base.startsWith(`${PREFIX}/admin/queues`)).toBe(true);
    const script = attribute(boardHtml, /<script[^>]* src="([^"]+\.js)"/);
    const scriptUrl = new URL(script, new URL(base.endsWith('/') ? base : `${base}/`, origin()));
    expect(scriptUrl.pathname.startsWith(`${PREFIX}/admin/queues/`)).toBe(true);
    const asset = await fetch(scriptUrl, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(asset.status).toBe(200);
    expect(proxy.refused).toEqual([]);
  });
});
