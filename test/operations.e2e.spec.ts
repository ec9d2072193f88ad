import { jest } from '@jest/globals';
import { ManualClock } from '@snitflow/common';
import { DataSource } from 'typeorm';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, orderOps } from './support/flows.js';

// Monday 7 December 2026, 10:00 in Copenhagen.
const START = new Date('2026-12-07T09:00:00.000Z');

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

describe('supplier response figures', () => {
  it('gives median and 90th percentile business days to answer, open waits and overdue waits', async () => {
    // Three waits for SKAT answered after 1, 2 and 7 business days; one still open and overdue.
    const answerAfter = [
      ['SF0462', '2026-12-08T09:00:00.000Z'], // Tuesday: 1 business day
      ['SF0770', '2026-12-09T09:00:00.000Z'], // Wednesday: 2
      ['SF0780', '2026-12-16T09:00:00.000Z'], // next Wednesday: 7
    ] as const;
    for (const [key, answeredAt] of answerAfter) {
      clock.set(START);
      const order = await consolidatedOrder(api, coordinator, key, ['KY']);
      await orderOps.send(api, coordinator, order.id);
      clock.set(new Date(answeredAt));
      await orderOps.supplier(api, coordinator, order.id, { kind: 'ACCEPT' });
    }
    clock.set(START);
    const waiting = await consolidatedOrder(api, coordinator, 'SF0790', ['KY']);
    await orderOps.send(api, coordinator, waiting.id, { replyBy: '2026-12-08' });
    clock.set(new Date('2026-12-10T09:00:00.000Z'));

    const data = await api.ok<{
      supplierResponseStats: {
        supplier: { name: string };
        answered: number;
        medianBusinessDays: number;
        p90BusinessDays: number;
        openWaits: number;
        overdue: number;
      }[];
    }>(
      coordinator,
      'query($s: ID) { supplierResponseStats(supplierId: $s) { supplier { name } answered medianBusinessDays p90BusinessDays openWaits overdue } }',
      { s: api.ids.suppliers.SKAT },
    );
    expect(data.supplierResponseStats).toEqual([
      {
        supplier: { name: 'SKAT' },
        answered: 3,
        medianBusinessDays: 2,
        p90BusinessDays: 7,
        openWaits: 1,
        overdue: 1,
      },
    ]);
    const asProject = await api.graphql(
      await api.projectUser('KY'),
      '{ supplierResponseStats { answered } }',
    );
    expect(asProject.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('supplier response figures across a change of supplier', () => {
  it("keep each wait with the supplier it was sent to, not the order's supplier now", async () => {
    // ATP declines after 3 business days; plan B buys from KL, which accepts after 1.
    clock.set(START);
    const order = await consolidatedOrder(api, coordinator, 'SF0800', ['KY']);
    await orderOps.send(api, coordinator, order.id);
    clock.set(new Date('2026-12-10T09:00:00.000Z'));
    await orderOps.supplier(api, coordinator, order.id, { kind: 'DECLINE', reason: 'Not this year' });
    await orderOps.planB(api, coordinator, order.id, {
      kind: 'OTHER_SOURCE',
      description: 'KL has the data',
      alternativeSupplierId: api.ids.suppliers.KL,
    });
    await orderOps.send(api, coordinator, order.id, { supplierId: api.ids.suppliers.KL });
    clock.set(new Date('2026-12-11T09:00:00.000Z'));
    await orderOps.supplier(api, coordinator, order.id, { kind: 'ACCEPT' });

    const figures = async (supplierId: string | undefined) =>
      (
        await api.ok<{ supplierResponseStats: { answered: number; medianBusinessDays: number }[] }>(
          coordinator,
          'query($s: ID) { supplierResponseStats(supplierId: $s) { answered medianBusinessDays } }',
          { s: supplierId },
        )
      ).supplierResponseStats[0];
    expect(await figures(api.ids.suppliers.ATP)).toEqual({ answered: 1, medianBusinessDays: 3 });
    expect(await figures(api.ids.suppliers.KL)).toEqual({ answered: 1, medianBusinessDays: 1 });
  });
});

describe('the overdue queue', () => {
  it('answers a page with a fixed number of queries, however long the page (no N+1)', async () => {
    clock.set(START);
    for (const key of ['SF1320', 'SF1390', 'SF1460', 'SF1490']) {
      const order = await consolidatedOrder(api, coordinator, key, ['KY']);
      await orderOps.send(api, coordinator, order.id, { replyBy: '2026-12-08' });
    }
    clock.set(new Date('2026-12-15T09:00:00.000Z'));
    const dataSource = api.app.get(DataSource);
    const runnerPrototype = Object.getPrototypeOf(dataSource.createQueryRunner()) as {
      query: (...args: unknown[]) => unknown;
    };
    const spy = jest.spyOn(runnerPrototype, 'query');
    const queriesFor = async (first: number) => {
      spy.mockClear();
      const data = await api.ok<{ overdueQueue: { edges: unknown[] } }>(
        coordinator,
        `query($first: Int) { overdueQueue(first: $first) { edges { node { id state ballInCourt businessDaysOverdue
            allowedEvents history { version type }
            interface { key title supplier { name } } supplier { name } } } } }`,
        { first },
      );
      return { rows: data.overdueQueue.edges.length, queries: spy.mock.calls.length };
    };
    const one = await queriesFor(1);
    const many = await queriesFor(5);
    spy.mockRestore();
    expect(one.rows).toBe(1);
    expect(many.rows).toBeGreaterThanOrEqual(4);
    expect(many.queries).toBe(one.queries);
    // The page, then one batch each: interfaces, suppliers, histories, the guards' facts.
    expect(many.queries).toBeLessThanOrEqual(5);
  });
});

describe('the queue dashboard', () => {
  it('is at /admin/queues for coordinators only', async () => {
    const anonymous = await fetch(`${api.url}/admin/queues`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/admin/login');

    const project = await fetch(`${api.url}/admin/queues`, {
      headers: { authorization: `Bearer ${await api.projectUser('KY')}` },
    });
    expect(project.status).toBe(403);

    const bearer = await fetch(`${api.url}/admin/queues`, {
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get('content-type')).toMatch(/text\/html/);

    const login = await fetch(`${api.url}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: coordinator }).toString(),
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await fetch(`${api.url}/admin/queues`, {
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    expect(withCookie.status).toBe(200);

    const api2 = await fetch(`${api.url}/admin/queues/api/queues`, {
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    expect(api2.status).toBe(200);
    const queues = (await api2.json()) as { queues: { name: string }[] };
    expect(queues.queues.map((queue) => queue.name).sort()).toEqual(['email', 'reminders']);

    const badLogin = await fetch(`${api.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: await api.projectUser('KY') }).toString(),
    });
    expect(badLogin.status).toBe(401);
  });
});
