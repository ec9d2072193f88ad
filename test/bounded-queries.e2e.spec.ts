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
