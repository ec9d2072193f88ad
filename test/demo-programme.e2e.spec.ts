import { ManualClock } from '@snitflow/common';
import { loadDemoProgramme } from '../apps/api/src/demo/programme-demo.js';
import { ApiHarness } from './support/api-harness.js';

/**
 * The demo programme `npm start` loads into an empty database tells the deck's story through
 * the real services: checked over GraphQL as a coordinator would see it on first start. The
 * test template database does not carry it (test/support/database.ts seeds the catalogue only);
 * this test loads it into its own clone.
 */
// Monday 30 November 2026, 13:00 in Copenhagen.
const now = new Date('2026-11-30T12:00:00.000Z');
const clock = new ManualClock(now);
let api: ApiHarness;
let coordinator: string;
let loaded: Awaited<ReturnType<typeof loadDemoProgramme>>;

beforeAll(async () => {
  api = await ApiHarness.start({}, { clock });
  coordinator = await api.coordinator();
  loaded = await loadDemoProgramme({ now });
  // The whole story through the services: longer than Jest's 30 s hook default on a loaded machine.
}, 180_000);

afterAll(async () => {
  await api?.stop();
});

interface Order {
  reference: string;
  state: string;
  interface: { key: string };
  history: { type: string; payload: string; occurredAt: string }[];
}

async function orderOf(key: string): Promise<Order> {
  const data = await api.ok<{ orders: { edges: { node: Order }[] } }>(
    coordinator,
    `query($key: String) { orders(first: 5, filter: { interfaceKey: $key }) {
       edges { node { reference state interface { key } history { type payload occurredAt } } } } }`,
    { key },
  );
  const order = data.orders.edges[0]?.node;
  if (!order) throw new Error(`no order for ${key}`);
  return order;
}

describe('the demo programme', () => {
  it('has 32 requests from the four projects in 18 orders, one in each state the deck talks about', async () => {
    expect(loaded).toEqual({ loaded: true, requests: 32, orders: 18 });
    const rows = await api.db.query<{ key: string; state: string }>(
      'SELECT i.key, o.state FROM interface_order o JOIN interface i ON i.id = o.interface_id ORDER BY i.key',
    );
    expect(Object.fromEntries(rows.rows.map((row) => [row.key, row.state]))).toEqual({
      SF0462: 'planB',
      SF0740: 'consolidated',
      SF0741: 'onHold',
      SF0770: 'negotiation.awaitingSupplier',
      SF0780: 'negotiation.declined',
      SF0790: 'negotiation.clarification',
      SF0800: 'negotiation.proposalReceived',
      SF0802: 'negotiation.awaitingSupplier',
      SF0810: 'consolidated',
      SF0830: 'live',
      SF1180: 'ordered',
      SF1280: 'test.passed',
      SF1290: 'test.running',
      SF1300: 'cancelled',
      SF1320: 'test.planning',
      SF1390: 'negotiation.agreed',
      SF1460: 'test.planning',
      SF1490: 'negotiation.awaitingSupplier',
    });
    const projects = await api.db.query<{ code: string; n: number }>(
      'SELECT p.code, count(*)::int AS n FROM interface_request r JOIN project p ON p.id = r.project_id GROUP BY p.code',
    );
    expect(projects.rows.map((row) => row.code).sort()).toEqual(['BARSEL', 'KSD', 'KY', 'OKO']);
    const labels = await api.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM interface_request WHERE justification NOT LIKE 'DEMO –%' OR tender_reference NOT LIKE 'DEMO –%'",
    );
    expect(labels.rows[0]?.n).toBe(0);
  });

  it('keeps the deck’s examples in the history: the CPR finding, the Feriekonto change, plan B via eIndkomst, AMS', async () => {
    const cpr = await orderOf('SF1320');
    const review = cpr.history.find(
      (event) => event.type === 'REVIEW_REQUEST' && event.payload.includes('REQUEST_CHANGES'),
    );
    expect(review?.payload).toContain('CPR indeholder ikke indkomstoplysninger');
    const feriekonto = await orderOf('SF0800');
    const types = feriekonto.history.map((event) => event.type);
    // Consolidated, changed by Barsel (reopened), reviewed again, consolidated again.
    expect(types.filter((type) => type === 'CONSOLIDATE')).toHaveLength(2);
    expect(
      feriekonto.history.some(
        (event) => event.type === 'REQUESTS_CHANGED' && event.payload.includes('resubmitted'),
      ),
    ).toBe(true);
    const planB = await orderOf('SF0462');
    expect(planB.history.map((event) => event.type)).toEqual(
      expect.arrayContaining(['SUPPLIER_DECLINES', 'START_PLAN_B']),
    );
    expect(planB.history.find((event) => event.type === 'START_PLAN_B')?.payload).toContain('eIndkomst');
    const ams = await orderOf('SF0741');
    expect(ams.history.at(-1)?.payload).toContain('Uklart hvem der skal gøre hvad');
    // History spread over six weeks, never after now.
    const all = await api.db.query<{ first: Date; last: Date }>(
      'SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM order_event',
    );
    expect(all.rows[0]?.first.toISOString().slice(0, 10)).toBe('2026-10-19');
    expect(all.rows[0]?.last.getTime()).toBeLessThan(now.getTime());
  });

  it('gives the report something real on first start: since last time, overdue orders, forecast, test strategy', async () => {
    const data = await api.ok<{
      statusReport: {
        since: string;
        sinceLastTime: {
          planBsStarted: { interfaceKey: string; declineReason: string }[];
          wentLive: { interfaceKey: string }[];
          deadlinesMissed: unknown[];
        };
        consolidation: { requestsReceived: number; purchasesSaved: number };
        overdueBySupplier: { supplierName: string; count: number }[];
        forecast: { orders: { interfaceKey: string; lateForNeedBy: boolean }[] };
        testStrategy: {
          nearTestWithoutResponsible: { interfaceKey: string }[];
          overlappingWindows: {
            projectCode: string;
            first: { interfaceKey: string };
            second: { interfaceKey: string };
          }[];
        };
      };
    }>(
      coordinator,
      `{ statusReport { since
          sinceLastTime { planBsStarted { interfaceKey declineReason } wentLive { interfaceKey } deadlinesMissed { interfaceKey } }
          consolidation { requestsReceived purchasesSaved }
          overdueBySupplier { supplierName count }
          forecast { orders { interfaceKey lateForNeedBy } }
          testStrategy { nearTestWithoutResponsible { interfaceKey } overlappingWindows { projectCode first { interfaceKey } second { interfaceKey } } } } }`,
    );
    const report = data.statusReport;
    expect(report.since).toBe('2026-11-02');
    expect(report.sinceLastTime.planBsStarted).toEqual([
      { interfaceKey: 'SF0462', declineReason: 'DEMO – Indkomsthændelser udleveres kun via eIndkomst' },
    ]);
    expect(report.sinceLastTime.wentLive).toEqual([{ interfaceKey: 'SF0830' }]);
    expect(report.sinceLastTime.deadlinesMissed.length).toBeGreaterThan(0);
    expect(report.consolidation.requestsReceived).toBe(32);
    expect(report.consolidation.purchasesSaved).toBeGreaterThan(0);
    expect(report.overdueBySupplier.map((row) => row.supplierName)).toEqual(
      expect.arrayContaining(['SKAT', 'ATP']),
    );
    expect(report.forecast.orders.find((order) => order.interfaceKey === 'SF1320')?.lateForNeedBy).toBe(true);
    expect(report.testStrategy.nearTestWithoutResponsible.map((order) => order.interfaceKey)).toContain(
      'SF1390',
    );
    expect(report.testStrategy.overlappingWindows).toEqual(
      expect.arrayContaining([
        { projectCode: 'KY', first: { interfaceKey: 'SF1320' }, second: { interfaceKey: 'SF1460' } },
      ]),
    );
  });

  it('loads only into a database without orders', async () => {
    expect(await loadDemoProgramme({ now })).toEqual({ loaded: false, requests: 0, orders: 0 });
  });
});
