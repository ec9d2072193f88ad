/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '@snitflow/common';
import ExcelJS from 'exceljs';
import { type Browser, chromium } from 'playwright-core';
import { ApiHarness } from './support/api-harness.js';
import { act, orderOps, review, submit } from './support/flows.js';

/**
 * The programme's view on a known history, built through the API with a controlled clock:
 * the test strategy across orders, the status report's figures and its "since last time", the
 * go-live forecast and the live matrix. Every figure asserted here is worked out by hand in the
 * comments from the history below.
 *
 * 2 Nov (Mon): D SF1180 requested by KY (need-by 1 Dec), left in ordered.
 *              A SF1320 (CPR) KY+KSD, same elements; B SF0800 (ATP) KSD+BARSEL, different elements;
 *              C SF0462 (SKAT) KY. A, B, C consolidated and sent.
 * 3 Nov:       A: CPR proposes, accepted. B: ATP accepts.
 * 4 Nov:       C: SKAT declines.                                      ← the report's period starts
 * 5 Nov:       C: plan B via eIndkomst. A: test planned, KY+KSD per project, 1–18 Dec.
 *              E SF1460 KY+KSD consolidated and sent; F SF0770 KSD sent with reply-by 10 Nov;
 *              G SF0830 KY sent; H SF1290 OKO consolidated.
 * 6 Nov:       E accepted, test planned for KY alone 14 Dec – 8 Jan (overlaps A for KY).
 *              G accepted, test planned 9–13 Nov.
 * 9 Nov:       G: test started, KY passed, test passed.
 * 16 Nov:      G live. H cancelled.
 * 18 Nov (Wed) 10:00 Copenhagen: now; the report covers 4–18 Nov.
 */

const clock = new ManualClock(new Date('2026-11-02T09:00:00.000Z'));
const day = (date: string) => clock.set(new Date(`${date}T09:00:00.000Z`));

let api: ApiHarness;
let coordinator: string;
const orders: Record<string, string> = {};

async function request(
  key: string,
  project: keyof ApiHarness['ids']['projects'],
  elements: string[],
  needBy = '2027-06-01',
) {
  const created = await submit(api, coordinator, {
    interfaceKey: key,
    projectId: api.ids.projects[project],
    dataElements: elements,
    needBy,
  });
  return created;
}

async function approvedOrder(key: string, requests: [keyof ApiHarness['ids']['projects'], string[]][]) {
  let orderId = '';
  for (const [project, elements] of requests) {
    const created = await request(key, project, elements);
    await review(api, coordinator, created.id, 'APPROVE');
    orderId = created.order.id;
  }
  await orderOps.consolidate(api, coordinator, orderId);
  return orderId;
}

function planTest(orderId: string, mode: string, projects: string[], windowStart: string, windowEnd: string) {
  return act(
    api,
    coordinator,
    'planTest',
    {
      orderId,
      input: {
        responsible: 'KOMBIT',
        mode,
        participantProjectIds: projects.map((p) => api.ids.projects[p as 'KY']),
        windowStart,
        windowEnd,
      },
    },
    '$orderId: ID!, $input: PlanTestInput!',
    'orderId: $orderId, input: $input',
  );
}

beforeAll(async () => {
  api = await ApiHarness.start({}, { clock });
  coordinator = await api.coordinator();

  day('2026-11-02');
  orders.D = (await request('SF1180', 'KY', ['SKAT.INDKOMSTAAR'], '2026-12-01')).order.id;
  orders.A = await approvedOrder('SF1320', [
    ['KY', ['CPR.NAVN']],
    ['KSD', ['CPR.NAVN']],
  ]);
  orders.B = await approvedOrder('SF0800', [
    ['KSD', ['ATP.FERIEKONTO_SALDO']],
    ['BARSEL', ['ATP.FERIEKONTO_SALDO', 'ATP.FERIEAAR']],
  ]);
  orders.C = await approvedOrder('SF0462', [['KY', ['SKAT.AINDKOMST']]]);
  for (const id of [orders.A, orders.B, orders.C]) await orderOps.send(api, coordinator, id);

  day('2026-11-03');
  await orderOps.supplier(api, coordinator, orders.A, { kind: 'PROPOSE', terms: { priceOere: '5000000' } });
  await orderOps.accept(api, coordinator, orders.A);
  await orderOps.supplier(api, coordinator, orders.B, { kind: 'ACCEPT' });

  day('2026-11-04');
  await orderOps.supplier(api, coordinator, orders.C, {
    kind: 'DECLINE',
    reason: 'Indkomstdata udleveres ikke',
  });

  day('2026-11-05');
  await orderOps.planB(api, coordinator, orders.C, { kind: 'OTHER_SOURCE', description: 'Via eIndkomst' });
  await planTest(orders.A, 'PER_PROJECT', ['KY', 'KSD'], '2026-12-01', '2026-12-18');
  orders.E = await approvedOrder('SF1460', [
    ['KY', ['STS.BESKED_ID']],
    ['KSD', ['STS.BESKED_ID']],
  ]);
  await orderOps.send(api, coordinator, orders.E);
  orders.F = await approvedOrder('SF0770', [['KSD', ['SKAT.AINDKOMST']]]);
  await orderOps.send(api, coordinator, orders.F, { replyBy: '2026-11-10' });
  orders.G = await approvedOrder('SF0830', [['KY', ['SSR.PERSONNUMMER']]]);
  await orderOps.send(api, coordinator, orders.G);
  orders.H = await approvedOrder('SF1290', [['OKO', ['FORM.OPGAVENUMMER']]]);

  day('2026-11-06');
  await orderOps.supplier(api, coordinator, orders.E, { kind: 'ACCEPT' });
  await planTest(orders.E, 'SHARED', ['KY'], '2026-12-14', '2027-01-08');
  await orderOps.supplier(api, coordinator, orders.G, { kind: 'ACCEPT' });
  await planTest(orders.G, 'SHARED', ['KY'], '2026-11-09', '2026-11-13');

  day('2026-11-09');
  await orderOps.startTest(api, coordinator, orders.G);
  await orderOps.result(api, coordinator, orders.G, { projectId: api.ids.projects.KY, outcome: 'PASSED' });
  await orderOps.completeTest(api, coordinator, orders.G);

  day('2026-11-16');
  await orderOps.goLive(api, coordinator, orders.G, '2026-11-16');
  await orderOps.cancel(api, coordinator, orders.H, 'Not needed after all');

  day('2026-11-18');
  // Dozens of transitions over HTTP: on a loaded shared machine longer than Jest's 30 s hook default.
}, 180_000);

afterAll(async () => {
  await api?.stop();
});

const REPORT = `query($since: Date, $until: Date) { statusReport(since: $since, until: $until) {
  since until
  sinceLastTime {
    requestsReceived requestsChanged requestsApproved requestsSentBack
    consolidated { interfaceKey } sentToSupplier { interfaceKey } agreed { interfaceKey }
    declined { interfaceKey detail }
    planBsStarted { interfaceKey kind detail declineReason fromState }
    testsStarted { interfaceKey } testsPassed { interfaceKey } wentLive { interfaceKey detail }
    cancelled { interfaceKey detail }
    deadlinesMissed { interfaceKey state dueAt supplierName }
  }
  ordersByState { state count }
  ordersByCategory { category count }
  consolidation { requestsReceived activeRequests orders consolidatedOrders purchasesSaved }
  overdueBySupplier { supplierName count }
  overdueByBall { ballInCourt count }
  supplierAnswerTimes { supplierName answered medianBusinessDays p90BusinessDays }
  forecast { orders { interfaceKey status expectedLiveDate needBy lateForNeedBy steps { state source typicalBusinessDays } }
             projects { projectCode allLiveBy orders late withoutForecast } }
} }`;

interface Report {
  statusReport: {
    since: string;
    until: string;
    sinceLastTime: Record<string, unknown> & {
      consolidated: { interfaceKey: string }[];
      sentToSupplier: { interfaceKey: string }[];
      agreed: { interfaceKey: string }[];
      testsStarted: { interfaceKey: string }[];
      testsPassed: { interfaceKey: string }[];
    };
    ordersByState: { state: string; count: number }[];
    ordersByCategory: { category: string | null; count: number }[];
    consolidation: Record<string, number>;
    overdueBySupplier: { supplierName: string; count: number }[];
    overdueByBall: { ballInCourt: string; count: number }[];
    supplierAnswerTimes: {
      supplierName: string;
      answered: number;
      medianBusinessDays: number;
      p90BusinessDays: number;
    }[];
    forecast: {
      orders: {
        interfaceKey: string;
        status: string;
        expectedLiveDate: string | null;
        needBy: string | null;
        lateForNeedBy: boolean;
        steps: { state: string; source: string; typicalBusinessDays: number }[];
      }[];
      projects: {
        projectCode: string;
        allLiveBy: string | null;
        orders: number;
        late: number;
        withoutForecast: number;
      }[];
    };
  };
}

const keys = (list: { interfaceKey: string }[]) => list.map((item) => item.interfaceKey);

/**
 * The playbook download's header row (XLSX and CSV alike), spelled out here rather than taken
 * from playbook-export.ts: it is what a spreadsheet user relies on, and a test built from the
 * product's own list could not notice a column renamed, dropped or moved.
 */
const PLAYBOOK_HEADER = (
  'key,title,source_supplier,KY,KSD,BARSEL,OKO,reference,state,ball_in_court,due_date,overdue,' +
  'category,negotiates,buys,pays,need_by,expected_live,late_for_need_by'
).split(',');

describe('the status report on a known history', () => {
  let report: Report['statusReport'];
  beforeAll(async () => {
    report = (await api.ok<Report>(coordinator, REPORT, { since: '2026-11-04', until: '2026-11-18' }))
      .statusReport;
  });

  it('lists since last time what happened in the period, and nothing before it', () => {
    const since = report.sinceLastTime;
    // E 2, F 1, G 1, H 1 requested from 5 Nov; D, A, B, C (6 requests) on 2 Nov are before the period.
    expect(since.requestsReceived).toBe(5);
    expect(since.requestsApproved).toBe(5);
    expect(since.requestsChanged).toBe(0);
    expect(keys(since.consolidated)).toEqual(['SF1460', 'SF0770', 'SF0830', 'SF1290']);
    expect(keys(since.sentToSupplier)).toEqual(['SF1460', 'SF0770', 'SF0830']);
    // A and B agreed on 3 Nov, before the period.
    expect(keys(since.agreed)).toEqual(['SF1460', 'SF0830']);
    expect(since.declined).toEqual([{ interfaceKey: 'SF0462', detail: 'Indkomstdata udleveres ikke' }]);
    expect(since.planBsStarted).toEqual([
      {
        interfaceKey: 'SF0462',
        kind: 'OTHER_SOURCE',
        detail: 'Via eIndkomst',
        declineReason: 'Indkomstdata udleveres ikke',
        fromState: 'negotiation.declined',
      },
    ]);
    expect(keys(since.testsStarted)).toEqual(['SF0830']);
    expect(keys(since.testsPassed)).toEqual(['SF0830']);
    expect(since.wentLive).toEqual([{ interfaceKey: 'SF0830', detail: '2026-11-16' }]);
    expect(since.cancelled).toEqual([{ interfaceKey: 'SF1290', detail: 'Not needed after all' }]);
  });

  it('lists the deadlines missed in the period', () => {
    // F: reply-by 10 Nov (16:00 = 15:00Z). H: consolidated 5 Nov + 5 business days = 12 Nov, and
    // cancelled on the 16th without being sent. D: in ordered since it was created on 2 Nov,
    // + 10 = 16 Nov. B: agreed 3 Nov + 10 = 17 Nov. A and E (test.planning from 5 and 6 Nov) are
    // due 19 and 20 Nov.
    expect(report.sinceLastTime.deadlinesMissed).toEqual([
      {
        interfaceKey: 'SF0770',
        state: 'negotiation.awaitingSupplier',
        dueAt: '2026-11-10T15:00:00.000Z',
        supplierName: 'SKAT',
      },
      {
        interfaceKey: 'SF1290',
        state: 'consolidated',
        dueAt: '2026-11-12T15:00:00.000Z',
        supplierName: null,
      },
      {
        interfaceKey: 'SF1180',
        state: 'ordered',
        dueAt: '2026-11-16T15:00:00.000Z',
        supplierName: null,
      },
      {
        interfaceKey: 'SF0800',
        state: 'negotiation.agreed',
        dueAt: '2026-11-17T15:00:00.000Z',
        supplierName: null,
      },
    ]);
  });

  it('counts orders by state and category, and what consolidation saved', () => {
    expect(report.ordersByState).toEqual([
      { state: 'test.planning', count: 2 },
      { state: 'cancelled', count: 1 },
      { state: 'live', count: 1 },
      { state: 'negotiation.agreed', count: 1 },
      { state: 'negotiation.awaitingSupplier', count: 1 },
      { state: 'ordered', count: 1 },
      { state: 'planB', count: 1 },
    ]);
    // The interfaces' default categories: A, B, C, E, F common need; G and H one each of the
    // other two; D is not consolidated, so it has none yet.
    expect(report.ordersByCategory).toEqual([
      { category: 'COMMON_NEED', count: 5 },
      { category: 'MUNICIPALITY_SPECIFIC', count: 1 },
      { category: 'NINETY_EIGHT_POTENTIAL', count: 1 },
      { category: null, count: 1 },
    ]);
    // 11 requests; 7 orders without the cancelled H; 6 of them consolidated (not D);
    // A, B and E serve two projects each: three web services bought once instead of twice.
    expect(report.consolidation).toEqual({
      requestsReceived: 11,
      activeRequests: 11,
      orders: 7,
      consolidatedOrders: 6,
      purchasesSaved: 3,
    });
  });

  it('counts overdue orders by supplier and by ball, and the suppliers’ answer times', () => {
    // Open and past the deadline now: F (waiting for SKAT), D (SKAT's interface, its requests not
    // reviewed since 16 Nov) and B (agreed with ATP, test not planned).
    expect(report.overdueBySupplier).toHaveLength(2);
    expect(report.overdueBySupplier).toEqual(
      expect.arrayContaining([
        { supplierName: 'SKAT', count: 2 },
        { supplierName: 'ATP', count: 1 },
      ]),
    );
    expect(report.overdueByBall).toEqual([
      { ballInCourt: 'COORDINATORS', count: 2 },
      { ballInCourt: 'SUPPLIER', count: 1 },
    ]);
    // Business days from the send to the answer: CPR 1 (A), ATP 1 (B), SKAT 2 (C), RA-STS 1 (E), CSC 1 (G).
    expect(report.supplierAnswerTimes).toEqual(
      expect.arrayContaining([
        { supplierName: 'SKAT', answered: 1, medianBusinessDays: 2, p90BusinessDays: 2 },
        { supplierName: 'ATP', answered: 1, medianBusinessDays: 1, p90BusinessDays: 1 },
      ]),
    );
    expect(report.supplierAnswerTimes).toHaveLength(5);
  });

  it('forecasts go-live per order and per project from the programme’s own history', () => {
    const byKey = new Map(report.forecast.orders.map((order) => [order.interfaceKey, order]));
    expect(byKey.get('SF0830')).toMatchObject({
      status: 'LIVE',
      expectedLiveDate: '2026-11-16',
      lateForNeedBy: false,
    });
    expect(byKey.get('SF1290')).toMatchObject({ status: 'CANCELLED', expectedLiveDate: null });
    // F waits for SKAT, which answered once: too thin, so every supplier's answered waits
    // (A 1, B 1, C 2, E 1, G 1 business days) give the median 1.
    expect(byKey.get('SF0770')?.steps[0]).toEqual({
      state: 'negotiation.awaitingSupplier',
      source: 'PROGRAMME_HISTORY',
      typicalBusinessDays: 1,
    });
    // test.running has no completed stay but G's: the deadline policy (15) is the fallback.
    expect(byKey.get('SF0770')?.steps.find((step) => step.state === 'test.running')).toEqual({
      state: 'test.running',
      source: 'DEADLINE_POLICY',
      typicalBusinessDays: 15,
    });
    // D is still being ordered and needed by 1 December: its forecast is far later.
    expect(byKey.get('SF1180')).toMatchObject({
      status: 'FORECAST',
      needBy: '2026-12-01',
      lateForNeedBy: true,
    });
    const ky = report.forecast.projects.find((project) => project.projectCode === 'KY');
    // KY requested D, A, C, E, G: G is live; the latest forecast of the others is KY's date.
    const kyDates = ['SF1180', 'SF1320', 'SF0462', 'SF1460', 'SF0830'].map(
      (key) => byKey.get(key)?.expectedLiveDate ?? '',
    );
    expect(ky).toEqual({
      projectCode: 'KY',
      allLiveBy: kyDates.sort().at(-1),
      orders: 5,
      late: 1,
      withoutForecast: 0,
    });
    const oko = report.forecast.projects.find((project) => project.projectCode === 'OKO');
    expect(oko).toEqual({ projectCode: 'OKO', allLiveBy: null, orders: 0, late: 0, withoutForecast: 0 });
  });

  it('defaults to the four weeks up to today and refuses a period that ends before it starts', async () => {
    const data = await api.ok<{ statusReport: { since: string; until: string } }>(
      coordinator,
      '{ statusReport { since until } }',
    );
    expect(data.statusReport).toEqual({ since: '2026-10-21', until: '2026-11-18' });
    const bad = await api.graphql(coordinator, REPORT, { since: '2026-11-18', until: '2026-11-04' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'since' });
  });
});

describe('the test strategy across orders', () => {
  it('answers the deck’s test questions on the known data set', async () => {
    const data = await api.ok<{ testStrategy: unknown }>(
      coordinator,
      `{ testStrategy {
          testedByMoreThanOneProject { interfaceKey projectCodes mode sharedTestWouldDo differingElements }
          nearTestWithoutResponsible { interfaceKey state }
          overlappingWindows { projectCode first { interfaceKey } second { interfaceKey } overlapStart overlapEnd }
          loadPerMonth { projectCode month tests interfaceKeys }
      } }`,
    );
    expect(data.testStrategy).toEqual({
      testedByMoreThanOneProject: [
        // B: no plan yet; KSD and BARSEL ask for different elements.
        {
          interfaceKey: 'SF0800',
          projectCodes: expect.arrayContaining(['KSD', 'BARSEL']),
          mode: null,
          sharedTestWouldDo: false,
          differingElements: ['ATP.FERIEAAR'],
        },
        // A: planned per project, but KY and KSD ask for the same: one shared test would do.
        {
          interfaceKey: 'SF1320',
          projectCodes: expect.arrayContaining(['KY', 'KSD']),
          mode: 'PER_PROJECT',
          sharedTestWouldDo: true,
          differingElements: [],
        },
      ],
      // C in plan B and B agreed: next is the test, and nobody is named to run it.
      nearTestWithoutResponsible: [
        { interfaceKey: 'SF0462', state: 'planB' },
        { interfaceKey: 'SF0800', state: 'negotiation.agreed' },
      ],
      overlappingWindows: [
        {
          projectCode: 'KY',
          first: { interfaceKey: 'SF1320' },
          second: { interfaceKey: 'SF1460' },
          overlapStart: '2026-12-14',
          overlapEnd: '2026-12-18',
        },
      ],
      // G (live) is done testing and not counted.
      loadPerMonth: expect.arrayContaining([
        { projectCode: 'KY', month: '2026-12', tests: 2, interfaceKeys: ['SF1320', 'SF1460'] },
        { projectCode: 'KY', month: '2027-01', tests: 1, interfaceKeys: ['SF1460'] },
        { projectCode: 'KSD', month: '2026-12', tests: 1, interfaceKeys: ['SF1320'] },
      ]),
    });
  });
});

describe('the live matrix and one order’s forecast', () => {
  const MATRIX = `{ interfaceMatrix { key order { reference state ballInCourt dueAt category
      responsibleParties { negotiates buys pays } forecast { status expectedLiveDate lateForNeedBy } } } }`;
  type Row = { key: string; order: Record<string, unknown> | null };

  it('carries each interface’s order: state, ball, due date, category, responsible parties, forecast', async () => {
    const rows = (await api.ok<{ interfaceMatrix: Row[] }>(coordinator, MATRIX)).interfaceMatrix;
    const row = (key: string) => rows.find((r) => r.key === key)?.order;
    expect(row('SF0800')).toMatchObject({
      state: 'negotiation.agreed',
      ballInCourt: 'COORDINATORS',
      dueAt: '2026-11-17T15:00:00.000Z',
      category: 'COMMON_NEED',
      responsibleParties: { negotiates: 'KOMBIT', buys: 'MUNICIPALITIES', pays: 'MUNICIPALITIES' },
      forecast: { status: 'FORECAST' },
    });
    expect(row('SF0830')).toMatchObject({
      state: 'live',
      forecast: { status: 'LIVE', expectedLiveDate: '2026-11-16' },
    });
    expect(row('SF0740')).toBeNull();
  });

  it('shows a project user only the orders its project requested', async () => {
    const barsel = await api.projectUser('BARSEL');
    const rows = (await api.ok<{ interfaceMatrix: Row[] }>(barsel, MATRIX)).interfaceMatrix;
    expect(rows.filter((r) => r.order).map((r) => r.key)).toEqual(['SF0800']);
  });

  it('is the same forecast on the order as in the report', async () => {
    const order = await api.ok<{
      order: { forecast: { expectedLiveDate: string; steps: { state: string }[] } };
    }>(coordinator, 'query($id: ID!) { order(id: $id) { forecast { expectedLiveDate steps { state } } } }', {
      id: orders.E,
    });
    const report = await api.ok<Report>(coordinator, REPORT, { since: '2026-11-04', until: '2026-11-18' });
    expect(order.order.forecast.expectedLiveDate).toBe(
      report.statusReport.forecast.orders.find((o) => o.interfaceKey === 'SF1460')?.expectedLiveDate,
    );
    expect(order.order.forecast.steps.map((step) => step.state)).toEqual([
      'test.planning',
      'test.running',
      'test.passed',
    ]);
  });
});

describe('who may see the whole programme', () => {
  it('refuses the report, the forecast and the test strategy to a project token', async () => {
    const ky = await api.projectUser('KY');
    for (const query of [
      '{ statusReport { since } }',
      '{ goLiveForecast { orders { orderId } } }',
      '{ testStrategy { loadPerMonth { month } } }',
    ]) {
      const response = await api.graphql(ky, query);
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(response.data).toBeNull();
    }
  });
});

// ── the printable page and the downloads ──────────────────────────────────

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = resolve(dirname(fileURLToPath(import.meta.url)), '../test-output');
const PAGE = '/admin/programme/report?since=2026-11-04&until=2026-11-18';

describe('the status report page in a real browser', () => {
  let browser: Browser;
  let report: Report['statusReport'];
  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium is needed at ${CHROMIUM} (apt-get install -y chromium)`);
    mkdirSync(OUTPUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    report = (await api.ok<Report>(coordinator, REPORT, { since: '2026-11-04', until: '2026-11-18' }))
      .statusReport;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(language: 'da' | 'en') {
    const context = await browser.newContext({
      extraHTTPHeaders: { authorization: `Bearer ${coordinator}` },
    });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(event.violatedDirective));
    });
    const response = await page.goto(`${api.url}${PAGE}&lang=${language}`);
    return { context, page, response };
  }

  it('shows every figure of the report, one slide per screen, in Danish and English, under its CSP', async () => {
    for (const language of ['da', 'en'] as const) {
      const { context, page, response } = await open(language);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toMatch(
        /default-src 'none'; style-src 'sha256-/,
      );
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      expect(await page.textContent('h1')).toBe(language === 'da' ? 'Siden sidst' : 'Since last time');
      const figure = async (key: string) => Number(await page.textContent(`[data-figure="${key}"] .n`));
      const since = report.sinceLastTime as unknown as Record<string, number | unknown[]>;
      for (const key of ['requestsReceived', 'requestsChanged', 'requestsApproved', 'requestsSentBack']) {
        expect(await figure(key)).toBe(since[key]);
      }
      for (const key of [
        'consolidated',
        'sentToSupplier',
        'agreed',
        'declined',
        'planBsStarted',
        'testsStarted',
        'testsPassed',
        'wentLive',
        'cancelled',
        'deadlinesMissed',
      ]) {
        expect(await figure(key)).toBe((since[key] as unknown[]).length);
      }
      expect(await figure('requestsReceivedTotal')).toBe(11);
      expect(await figure('orders')).toBe(7);
      expect(await figure('consolidatedOrders')).toBe(6);
      expect(await figure('purchasesSaved')).toBe(3);
      // The charts are server-side SVG: one bar per state, per overdue supplier, per answering supplier.
      const bars = (id: string) =>
        page.$$eval(`#${id} svg g.row`, (rows) =>
          rows.map((row) => [row.getAttribute('data-label'), Number(row.getAttribute('data-value'))]),
        );
      expect(await bars('chart-states')).toEqual(report.ordersByState.map((row) => [row.state, row.count]));
      expect(await bars('chart-overdue')).toEqual(
        report.overdueBySupplier.map((row) => [row.supplierName, row.count]),
      );
      expect(await bars('chart-answers')).toEqual(
        report.supplierAnswerTimes.map((row) => [row.supplierName, row.medianBusinessDays]),
      );
      // Plan B with its reasons, the missed deadlines, the test strategy, the forecast.
      const planB = await page.textContent('#plan-bs tbody');
      expect(planB).toContain('Via eIndkomst');
      expect(planB).toContain('Indkomstdata udleveres ikke');
      // F, H, D and B (see 'lists the deadlines missed in the period').
      expect(await page.$$eval('#missed tbody tr', (rows) => rows.length)).toBe(4);
      expect(await page.$$eval('#shared-tests tbody tr', (rows) => rows.length)).toBe(2);
      expect(await page.textContent('#no-responsible')).toContain('SF0462');
      expect(await page.textContent('#overlaps')).toContain('SF1320');
      expect(await page.$$eval('#test-load tbody tr', (rows) => rows.length)).toBe(3);
      expect(await page.textContent('#late-orders')).toContain('SF1180');
      // The playbook: every interface of the list, each with its order's state.
      const states = await page.$$eval('#matrix tbody tr', (rows) =>
        rows.map((row) => [
          row.getAttribute('data-key'),
          row.querySelector('[data-state]')?.getAttribute('data-state'),
        ]),
      );
      expect(states).toHaveLength(18);
      expect(states).toEqual(
        expect.arrayContaining([
          ['SF0830', 'live'],
          ['SF0800', 'negotiation.agreed'],
          ['SF0740', ''],
        ]),
      );
      // One slide per screen: each is at least the viewport high and starts a printed page.
      const slides = await page.$$eval('section.slide', (sections) =>
        sections.map((section) => ({
          height: section.getBoundingClientRect().height,
          breakAfter: getComputedStyle(section).breakAfter,
        })),
      );
      const viewport = page.viewportSize()?.height ?? 0;
      expect(slides).toHaveLength(6);
      for (const slide of slides) {
        expect(slide.height).toBeGreaterThanOrEqual(viewport);
        expect(slide.breakAfter).toBe('page');
      }
      expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
      await page.screenshot({ path: resolve(OUTPUT, `programme-report-${language}.png`), fullPage: true });
      await context.close();
    }
  });

  it('is for coordinators: no token 401, a project token 403, a bad date 400', async () => {
    expect((await fetch(`${api.url}${PAGE}`)).status).toBe(401);
    const ky = await api.projectUser('KY');
    for (const path of [PAGE, '/admin/programme/matrix.csv', '/admin/programme/matrix.xlsx']) {
      const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${ky}` } });
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain('SF');
    }
    const bad = await fetch(`${api.url}/admin/programme/report?since=2026-02-30`, {
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect(bad.status).toBe(400);
  });
});

describe('the playbook downloads', () => {
  const get = (path: string) =>
    fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${coordinator}` } });

  it('XLSX: opened with exceljs, checked cell by cell', async () => {
    const response = await get('/admin/programme/matrix.xlsx');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.getWorksheet('Playbook');
    if (!sheet) throw new Error('no Playbook sheet');
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(row(1)).toEqual(PLAYBOOK_HEADER);
    expect(sheet.rowCount).toBe(19);
    const byKey = new Map<string, unknown[]>();
    for (let n = 2; n <= 19; n++) byKey.set(String(sheet.getRow(n).getCell(1).value), row(n));
    const reference = (id: string) =>
      api.db.query<{ reference: string }>('SELECT reference FROM interface_order WHERE id = $1', [id]);
    const date = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
    const forecastOf = async (key: string) => {
      const forecast = await api.ok<Report>(coordinator, REPORT, {
        since: '2026-11-04',
        until: '2026-11-18',
      });
      return (
        forecast.statusReport.forecast.orders.find((order) => order.interfaceKey === key)?.expectedLiveDate ??
        ''
      );
    };
    // B: agreed with ATP, past its 17 November deadline, KSD x and BARSEL x in the deck's list.
    expect(byKey.get('SF0800')).toEqual([
      'SF0800',
      'Feriekonto online opslag',
      'ATP',
      undefined,
      'x',
      'x',
      undefined,
      (await reference(orders.B ?? '')).rows[0]?.reference,
      'negotiation.agreed',
      'COORDINATORS',
      date('2026-11-17'),
      true,
      'COMMON_NEED',
      'KOMBIT',
      'MUNICIPALITIES',
      'MUNICIPALITIES',
      date('2027-06-01'),
      date(await forecastOf('SF0800')),
      false,
    ]);
    // G: live on its live date; no deadline.
    expect(byKey.get('SF0830')?.slice(7)).toEqual([
      (await reference(orders.G ?? '')).rows[0]?.reference,
      'live',
      'NOBODY',
      undefined,
      false,
      expect.any(String),
      expect.any(String),
      expect.any(String),
      expect.any(String),
      date('2027-06-01'),
      date('2026-11-16'),
      false,
    ]);
    // Never requested: only the list's own columns.
    expect(byKey.get('SF0740')?.slice(0, 4)).toEqual(['SF0740', 'Sagshændelser til ASK', 'ASK', 'x']);
    expect(
      byKey
        .get('SF0740')
        ?.slice(7)
        .every((cell) => cell === undefined || cell === false),
    ).toBe(true);
    // SF1180: KY's tentative '?' kept, D late for its 1 December need.
    expect(byKey.get('SF1180')?.slice(3, 7)).toEqual(['x', '?', undefined, undefined]);
    expect(byKey.get('SF1180')?.at(-1)).toBe(true);
    expect(sheet.getColumn(11).numFmt).toBe('yyyy-mm-dd');
  });

  it('CSV: the same rows, RFC 4180, a formula-looking title neutralised', async () => {
    await api.db.query("UPDATE interface SET title = '=HYPERLINK(\"http://x\")' WHERE key = 'SF1300'");
    try {
      const response = await get('/admin/programme/matrix.csv');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toContain('snitflow-playbook.csv');
      const lines = (await response.text()).trimEnd().split('\n');
      expect(lines).toHaveLength(19);
      expect(lines[0]).toBe(PLAYBOOK_HEADER.join(','));
      const b = lines.find((line) => line.startsWith('SF0800,'));
      expect(b).toMatch(
        /^SF0800,Feriekonto online opslag,ATP,,x,x,,B-\d+,negotiation\.agreed,COORDINATORS,2026-11-17,true,COMMON_NEED,KOMBIT,MUNICIPALITIES,MUNICIPALITIES,2027-06-01,\d{4}-\d{2}-\d{2},false$/,
      );
      expect(lines.find((line) => line.startsWith('SF1300,'))).toContain(`"'=HYPERLINK(""http://x"")"`);
    } finally {
      await api.db.query("UPDATE interface SET title = 'IM Kontoplan' WHERE key = 'SF1300'");
    }
  });
});
