/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '@snitflow/common';
import { ReplyLinks } from '@snitflow/orders';
import { type Browser, chromium } from 'playwright-core';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, getOrder, orderOps, projectNoticesSettled } from './support/flows.js';
import { decodedQuotedPrintable, SmtpSink } from './support/smtp-sink.js';

// Debian's Chromium (apt-get install chromium); .ci/run installs it when missing.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = resolve(dirname(fileURLToPath(import.meta.url)), '../test-output');

let api: ApiHarness;
let coordinator: string;
let browser: Browser;
const sink = new SmtpSink();
// Tuesday 1 December 2026, 10:00 in Copenhagen: office hours, so supplier emails go out at once.
const clock = new ManualClock(new Date('2026-12-01T09:00:00.000Z'));

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is needed at ${CHROMIUM} (apt-get install -y chromium)`);
  mkdirSync(OUTPUT, { recursive: true });
  await sink.start();
  api = await ApiHarness.start({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` }, { clock });
  await api.startWorker({ clock });
  coordinator = await api.coordinator();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await sink.stop();
});

async function linkFor(key: string): Promise<{ orderId: string; path: string }> {
  const order = await consolidatedOrder(api, coordinator, key, ['KY']);
  await orderOps.send(api, coordinator, order.id);
  const rows = await api.db.query<{ id: string }>(
    "SELECT id FROM reply_link WHERE order_id = $1 AND status = 'ACTIVE' ORDER BY created_at LIMIT 1",
    [order.id],
  );
  const linkId = rows.rows[0]?.id;
  if (!linkId) throw new Error('no reply link issued');
  return { orderId: order.id, path: new URL(api.app.get(ReplyLinks).urlFor(linkId)).pathname };
}

describe('the supplier reply page in a real browser', () => {
  it('opens the link from the delivered email and answers; the order moves', async () => {
    // CSC Scandihealth's one contact reads English.
    const order = await consolidatedOrder(api, coordinator, 'SF0830', ['KY']);
    const before = sink.messages.length;
    await orderOps.send(api, coordinator, order.id);
    // The project's notices travel too; this test follows the one to the supplier.
    const toSupplier = () =>
      sink.messages.slice(before).find((m) => m.recipients.includes('interfaces@csc-scandihealth.example'));
    const deadline = Date.now() + 10_000;
    while (!toSupplier() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const email = toSupplier();
    expect(email?.recipients).toEqual(['interfaces@csc-scandihealth.example']);
    const body = decodedQuotedPrintable(email?.raw ?? '');
    const link = /https?:\/\/[^\s"<>]+\/reply\/[A-Za-z0-9_-]{43}/.exec(body)?.[0];
    if (!link) throw new Error('no reply link in the delivered email');
    const page = await browser.newPage();
    await page.goto(`${api.url}${new URL(link).pathname}`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.check('input[name="answer"][value="accept"]');
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    expect(await page.textContent('h1')).toMatch(/thank/i);
    await page.close();
    expect((await getOrder(api, coordinator, order.id)).state).toBe('negotiation.agreed');
  });

  it('is readable in Danish and English, and a visit changes nothing', async () => {
    const { orderId, path } = await linkFor('SF1320');
    const version = (await getOrder(api, coordinator, orderId)).version;
    const page = await browser.newPage();
    for (const language of ['da', 'en'] as const) {
      await page.goto(`${api.url}${path}?lang=${language}`);
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      expect(await page.locator('h1').count()).toBe(1);
      expect(await page.textContent('body')).toContain('SF1320');
      // Every form control has a label.
      const unlabelled = await page.$$eval(
        'input:not([type=hidden]), textarea',
        (controls) =>
          controls.filter((control) => !control.id || !document.querySelector(`label[for="${control.id}"]`))
            .length,
      );
      expect(unlabelled).toBe(0);
      await page.screenshot({ path: resolve(OUTPUT, `reply-page-${language}.png`), fullPage: true });
    }
    await page.close();
    expect((await getOrder(api, coordinator, orderId)).version).toBe(version);
  });

  it('applies its own stylesheet under its Content-Security-Policy', async () => {
    const { path } = await linkFor('SF1490');
    const page = await browser.newPage();
    // Chromium reports a blocked stylesheet both as a securitypolicyviolation event and on the console.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(event.violatedDirective));
    });
    const console: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') console.push(message.text());
    });
    const response = await page.goto(`${api.url}${path}?lang=en`);
    // The stylesheet sets body{margin:0} and .page{max-width:46rem}; Chromium's defaults are 8px and none.
    const styled = await page.evaluate(() => ({
      bodyMargin: getComputedStyle(document.body).marginTop,
      pageMaxWidth: getComputedStyle(document.querySelector('.page') as Element).maxWidth,
      buttonBackground: getComputedStyle(document.querySelector('button') as Element).backgroundColor,
    }));
    expect(styled).toEqual({
      bodyMargin: '0px',
      pageMaxWidth: '736px',
      buttonBackground: 'rgb(11, 79, 156)',
    });
    expect(
      await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
    ).toEqual([]);
    expect(console.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
    // Still without 'unsafe-inline': only this stylesheet, by its hash.
    expect(response?.headers()['content-security-policy']).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+';/);
    await page.close();
  });

  it('lets the supplier propose terms; the order moves; typed markup stays text; a second visit says answered', async () => {
    const { orderId, path } = await linkFor('SF1390');
    const page = await browser.newPage();
    await page.goto(`${api.url}${path}?lang=en`);
    await page.check('input[name="answer"][value="propose"]');
    await page.fill('[name="priceKroner"]', '125000.50');
    await page.fill('[name="conditions"]', '<script>window.__pwned = 1</script> nightly batch');
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    expect(await page.textContent('body')).toMatch(/thank/i);
    await page.screenshot({ path: resolve(OUTPUT, 'reply-page-thanks-en.png'), fullPage: true });

    const order = await getOrder(api, coordinator, orderId);
    expect(order.state).toBe('negotiation.proposalReceived');
    expect(order.proposal).toEqual({
      priceOere: '12500050',
      deliveryDate: null,
      conditions: '<script>window.__pwned = 1</script> nightly batch',
    });

    // A coordinator counter-proposes: the supplier gets a new link; the used one stays answered.
    await orderOps.counter(api, coordinator, orderId, { priceOere: '9900000', conditions: '<b>bold?</b>' });
    await page.goto(`${api.url}${path}`);
    expect(await page.textContent('body')).toMatch(/allerede besvaret/i);
    const fresh = await api.db.query<{ id: string }>(
      "SELECT id FROM reply_link WHERE order_id = $1 AND status = 'ACTIVE' LIMIT 1",
      [orderId],
    );
    const freshPath = new URL(api.app.get(ReplyLinks).urlFor(fresh.rows[0]?.id ?? '')).pathname;
    await page.goto(`${api.url}${freshPath}?lang=en`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.textContent('body')).toContain('<b>bold?</b>');
    await page.check('input[name="answer"][value="accept"]');
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    expect((await getOrder(api, coordinator, orderId)).state).toBe('negotiation.agreed');

    await page.goto(`${api.url}${freshPath}`);
    expect(await page.textContent('body')).toMatch(/besvaret|answered/i);
    await page.close();
  });
  it('shows the right page for tampered, retired and expired links, and changes nothing', async () => {
    const { orderId, path } = await linkFor('SF1460');
    const page = await browser.newPage();
    const before = await api.rowCounts();

    const tampered = `${path.slice(0, -1)}${path.endsWith('A') ? 'B' : 'A'}`;
    const notFound = await page.goto(`${api.url}${tampered}`);
    expect(notFound?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Linket virker ikke');

    // A new round (the supplier asks, the coordinators answer) retires the first link.
    await orderOps.supplier(api, coordinator, orderId, { kind: 'ASK', question: 'Which events?' });
    await orderOps.answer(api, coordinator, orderId, 'All of them');
    const afterRound = await api.rowCounts();
    const retired = await page.goto(`${api.url}${path}?lang=en`);
    expect(retired?.status()).toBe(410);
    expect(await page.textContent('h1')).toBe('A newer link has been sent');
    expect(await page.textContent('body')).toContain('koordinatorer@kombit.example');

    const fresh = await api.db.query<{ id: string }>(
      "SELECT id FROM reply_link WHERE order_id = $1 AND status = 'ACTIVE' LIMIT 1",
      [orderId],
    );
    const freshPath = new URL(api.app.get(ReplyLinks).urlFor(fresh.rows[0]?.id ?? '')).pathname;
    await page.goto(`${api.url}${freshPath}`);
    await page.check('input[name="answer"][value="accept"]');
    // The answer period ends while the form is open.
    clock.set(new Date('2027-06-01T09:00:00.000Z'));
    const [expired] = await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    clock.set(new Date('2026-12-01T09:00:00.000Z'));
    expect(expired?.status()).toBe(410);
    expect(await page.textContent('h1')).toBe('Svarperioden er slut');
    expect((await getOrder(api, coordinator, orderId)).state).toBe('negotiation.awaitingSupplier');
    expect(await api.rowCounts()).toEqual(afterRound);
    expect(afterRound.order_event).toBeGreaterThan(before.order_event ?? 0);
    await page.close();
  });
  it('delivers one email per recipient, each with a working link of its own', async () => {
    // SKAT has two contacts.
    const order = await consolidatedOrder(api, coordinator, 'SF0462', ['KY']);
    await projectNoticesSettled(api);
    const before = sink.messages.length;
    await orderOps.send(api, coordinator, order.id);
    const deadline = Date.now() + 10_000;
    while (sink.messages.length < before + 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const delivered = sink.messages.slice(before);
    expect(delivered.flatMap((message) => message.recipients).sort()).toEqual(
      [
        ...(
          await api.db.query<{ email: string }>('SELECT email FROM supplier_contact WHERE supplier_id = $1', [
            api.ids.suppliers.SKAT,
          ])
        ).rows.map((row) => row.email),
      ].sort(),
    );
    const links = delivered.map(
      (message) =>
        /https?:\/\/[^\s"<>]+\/reply\/[A-Za-z0-9_-]{43}/.exec(decodedQuotedPrintable(message.raw))?.[0] ?? '',
    );
    expect(new Set(links).size).toBe(2);
    const page = await browser.newPage();
    for (const link of links) {
      const response = await page.goto(`${api.url}${new URL(link).pathname}`);
      expect(response?.status()).toBe(200);
      expect(await page.textContent('body')).toContain('SF0462');
    }
    await page.close();
  });
});
