import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, orderOps } from './support/flows.js';

let api: ApiHarness;
let coordinator: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api.stop();
});

async function eventVersions(orderId: string): Promise<number[]> {
  const result = await api.db.query<{ version: number }>(
    'SELECT version FROM order_event WHERE order_id = $1 ORDER BY version',
    [orderId],
  );
  return result.rows.map((row) => row.version);
}

describe('concurrent events on one order', () => {
  it('serialises 60 parallel events without an expected version: none lost, none doubled, no gaps', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF1460', ['KY', 'KSD', 'BARSEL']);
    await orderOps.send(api, coordinator, order.id);
    await orderOps.supplier(api, coordinator, order.id, { kind: 'ACCEPT' });
    const participants = [api.ids.projects.KY, api.ids.projects.KSD, api.ids.projects.BARSEL];
    await orderOps.planTest(api, coordinator, order.id, participants);
    const running = await orderOps.startTest(api, coordinator, order.id);

    const mutation =
      'mutation($id: ID!, $input: RecordTestResultInput!) { recordTestResult(orderId: $id, input: $input) { version } }';
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        api.graphql(coordinator, mutation, {
          id: order.id,
          input: { projectId: participants[index % 3], outcome: 'PASSED', notes: `run ${index}` },
        }),
      ),
    );
    expect(responses.filter((response) => response.errors)).toEqual([]);
    const versions = responses.map(
      (response) => (response.data as { recordTestResult: { version: number } }).recordTestResult.version,
    );
    expect(new Set(versions).size).toBe(60);
    expect(Math.min(...versions)).toBe(running.version + 1);
    expect(Math.max(...versions)).toBe(running.version + 60);

    const logged = await eventVersions(order.id);
    expect(logged).toEqual(Array.from({ length: running.version + 60 }, (_, index) => index + 1));
    const notes = await api.db.query<{ notes: string }>(
      "SELECT payload->>'notes' AS notes FROM order_event WHERE order_id = $1 AND type = 'RECORD_TEST_RESULT'",
      [order.id],
    );
    expect(new Set(notes.rows.map((row) => row.notes)).size).toBe(60);
  });

  it('lets exactly one of 50 parallel conflicting mutations with the same expected version win', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF1490', ['KY']);
    const mutations = Array.from({ length: 50 }, (_, index) =>
      index % 2 === 0
        ? api.graphql(
            coordinator,
            'mutation($id: ID!, $v: Int) { putOnHold(orderId: $id, reason: "race", expectedVersion: $v) { state version } }',
            {
              id: order.id,
              v: order.version,
            },
          )
        : api.graphql(
            coordinator,
            'mutation($id: ID!, $v: Int) { cancelOrder(orderId: $id, reason: "race", expectedVersion: $v) { state version } }',
            {
              id: order.id,
              v: order.version,
            },
          ),
    );
    const responses = await Promise.all(mutations);
    const winners = responses.filter((response) => !response.errors);
    const losers = responses.filter((response) => response.errors);
    expect(winners).toHaveLength(1);
    expect(losers.map((response) => response.errors?.[0]?.extensions?.code)).toEqual(
      Array(49).fill('CONFLICT'),
    );
    expect(await eventVersions(order.id)).toEqual(
      Array.from({ length: order.version + 1 }, (_, index) => index + 1),
    );
  });

  it('lets parallel conflicting events without a version apply in some order, each once', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF1280', ['OKO']);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        index % 2 === 0
          ? api.graphql(
              coordinator,
              'mutation($id: ID!) { putOnHold(orderId: $id, reason: "race") { version } }',
              { id: order.id },
            )
          : api.graphql(coordinator, 'mutation($id: ID!) { resumeOrder(orderId: $id) { version } }', {
              id: order.id,
            }),
      ),
    );
    const accepted = responses.filter((response) => !response.errors).length;
    const rejected = responses.filter(
      (response) => response.errors?.[0]?.extensions?.code === 'INVALID_TRANSITION',
    ).length;
    expect(accepted + rejected).toBe(50);
    expect(accepted).toBeGreaterThan(0);
    const versions = await eventVersions(order.id);
    expect(versions).toEqual(Array.from({ length: order.version + accepted }, (_, index) => index + 1));
    const types = await api.db.query<{ type: string }>(
      'SELECT type FROM order_event WHERE order_id = $1 AND version > $2 ORDER BY version',
      [order.id, order.version],
    );
    // Hold and resume must alternate: the lock never let two holds interleave.
    expect(types.rows.map((row) => row.type)).toEqual(
      types.rows.map((_, index) => (index % 2 === 0 ? 'PUT_ON_HOLD' : 'RESUME')),
    );
  });
});
