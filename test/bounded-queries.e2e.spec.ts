import { ApiHarness } from './support/api-harness.js';
import { offeredElements, submit } from './support/flows.js';

let api: ApiHarness;
let coordinator: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api.stop();
});

type Page = {
  orders: {
    edges: { cursor: string; node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

async function walk(query: string, token: string, field: 'orders' | 'overdueQueue'): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 200; guard += 1) {
    const data: Record<string, Page['orders']> = await api.ok(token, query, { after });
    const page = data[field] as Page['orders'];
    seen.push(...page.edges.map((edge) => edge.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return seen;
}

describe('cursors keep the full key', () => {
  it('walking orders one at a time returns every order when they differ only in microseconds', async () => {
    const ky = await api.projectUser('KY');
    for (const key of ['SF0462', 'SF0740', 'SF0741', 'SF0770', 'SF0780']) {
      await submit(api, ky, {
        interfaceKey: key,
        dataElements: (await offeredElements(api, ky, key)).slice(0, 1),
      });
    }
    // Every order in the same millisecond, one microsecond apart (as concurrent submits make them).
    await api.db.query(
      `UPDATE interface_order o SET created_at = timestamptz '2026-11-30 10:00:00.123+00' + (n.rank * interval '1 microsecond')
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS rank FROM interface_order) n WHERE n.id = o.id`,
    );
    const seen = await walk(
      'query($after: String) { orders(first: 1, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
      coordinator,
      'orders',
    );
    const all = await api.db.query<{ id: string }>(
      'SELECT id FROM interface_order ORDER BY created_at DESC, id DESC',
    );
    expect(all.rows.length).toBeGreaterThanOrEqual(5);
    expect(seen).toEqual(all.rows.map((row) => row.id));
  });

  it('walking the overdue queue one at a time returns every overdue order when deadlines differ in microseconds', async () => {
    await api.db.query(
      `UPDATE interface_order o SET due_at = timestamptz '2020-01-06 15:00:00.456+00' + (n.rank * interval '1 microsecond'), escalation_level = 0
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS rank FROM interface_order) n WHERE n.id = o.id AND o.is_open`,
    );
    const seen = await walk(
      'query($after: String) { overdueQueue(first: 1, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
      coordinator,
      'overdueQueue',
    );
    const all = await api.db.query<{ id: string }>(
      'SELECT id FROM interface_order WHERE is_open AND due_at IS NOT NULL ORDER BY escalation_level DESC, due_at, id',
    );
    expect(all.rows.length).toBeGreaterThanOrEqual(5);
    expect(seen).toEqual(all.rows.map((row) => row.id));
  });
});

describe('history is paged', () => {
  it('answers the first 100 events by default, pages on by afterVersion or cursor, refuses pages over 100', async () => {
    const ky = await api.projectUser('KY');
    const request = await submit(api, ky, {
      interfaceKey: 'SF0790',
      dataElements: (await offeredElements(api, ky, 'SF0790')).slice(0, 1),
    });
    const orderId = request.order.id;
    // 250 more events, as thousands of recordTestResult calls would make them.
    await api.db.query(
      `INSERT INTO order_event (order_id, version, type, actor_id, actor_role, from_state, to_state, payload, occurred_at)
       SELECT o.id, o.version + n, 'RECORD_TEST_RESULT', 'tester', 'project', o.state, o.state, '{}'::jsonb, now()
         FROM interface_order o, generate_series(1, 250) n WHERE o.id = $1`,
      [orderId],
    );
    const total = 250 + request.order.version;
    const versions = async (args: string) =>
      (
        await api.ok<{ order: { history: { version: number }[] } }>(
          coordinator,
          `query($id: ID!) { order(id: $id) { history${args} { version } } }`,
          { id: orderId },
        )
      ).order.history.map((event) => event.version);
    const range = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, index) => from + index);
    expect(await versions('')).toEqual(range(1, 100));
    expect(await versions('(first: 10, afterVersion: 100)')).toEqual(range(101, 110));
    expect(await versions(`(afterVersion: ${total - 3})`)).toEqual(range(total - 2, total));

    const walked: number[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard += 1) {
      const data: {
        order: {
          historyConnection: {
            edges: { node: { version: number } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
        };
      } = await api.ok(
        coordinator,
        'query($id: ID!, $after: String) { order(id: $id) { historyConnection(first: 100, after: $after) { edges { node { version } } pageInfo { hasNextPage endCursor } } } }',
        { id: orderId, after },
      );
      walked.push(...data.order.historyConnection.edges.map((edge) => edge.node.version));
      if (!data.order.historyConnection.pageInfo.hasNextPage) break;
      after = data.order.historyConnection.pageInfo.endCursor;
    }
    expect(walked).toEqual(range(1, total));

    const tooMany = await api.graphql(
      coordinator,
      'query($id: ID!, $n: Int) { order(id: $id) { history(first: $n) { version } } }',
      {
        id: orderId,
        n: 500,
      },
    );
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('the query cost limit', () => {
  it('refuses fifteen aliases of a hundred orders with their histories before running anything; one passes', async () => {
    const one = 'orders(first: 100) { edges { node { id history { type } } } }';
    const single = await api.graphql(coordinator, `{ a: ${one} }`);
    expect(single.errors).toBeUndefined();
    const aliases = Array.from({ length: 15 }, (_, index) => `a${index}: ${one}`).join(' ');
    const fifteen = await api.graphql(coordinator, `{ ${aliases} }`);
    expect(fifteen.status).toBe(400);
    expect(fifteen.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxCost: 50_000 });
    expect(fifteen.data).toBeNull();
    // A page size in a variable counts as the largest page it could be.
    const variable = await api.graphql(
      coordinator,
      `query($n: Int) { ${Array.from({ length: 6 }, (_, index) => `a${index}: orders(first: $n) { edges { node { history { type } } } }`).join(' ')} }`,
      { n: 1 },
    );
    expect(variable.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });
});
