import { ManualClock } from '@snitflow/common';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, orderOps } from './support/flows.js';
import { eventually, LiveClient, type LiveClient as LiveClientType } from './support/live-client.js';

// Two API instances on one database and one Redis, as two API processes would be: a change
// made through one reaches subscribers of the other (Redis pub/sub carries it). The
// several-processes test does the same with real processes.
// Monday 7 December 2026, 10:00 in Copenhagen.
const START = new Date('2026-12-07T09:00:00.000Z');
const clock = new ManualClock(START);
let listening: ApiHarness;
let writing: ApiHarness;
let coordinator: string;
const clients: LiveClientType[] = [];

const ORDER_CHANGED = `subscription($id: ID) { orderChanged(orderId: $id) { id state version history { type } } }`;
type OrderChanged = {
  orderChanged: { id: string; state: string; version: number; history: { type: string }[] };
};

async function connect(token: string | null, api: ApiHarness = listening): Promise<LiveClient> {
  const client = new LiveClient(api.url, token);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  listening = await ApiHarness.start({}, { clock });
  writing = await ApiHarness.start({}, { clock, sameDatabaseAs: listening });
  coordinator = await listening.coordinator();
}, 60_000);

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await writing?.stop();
  await listening?.stop();
});

describe('orderChanged', () => {
  it('delivers a change made through the other API to every subscriber who may see the order, after commit', async () => {
    const asCoordinator = await connect(coordinator);
    const asKy = await connect(await listening.projectUser('KY'));
    const asKsd = await connect(await listening.projectUser('KSD'));
    await Promise.all([asCoordinator.ready(), asKy.ready(), asKsd.ready()]);
    const all = asCoordinator.subscribe<OrderChanged>(ORDER_CHANGED);
    const ky = asKy.subscribe<OrderChanged>(ORDER_CHANGED);
    const ksd = asKsd.subscribe<OrderChanged>(ORDER_CHANGED);
    // graphql-ws has no "subscribed" acknowledgement: give the subscribe a moment to reach Redis.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const kyOrder = await consolidatedOrder(writing, coordinator, 'SF0800', ['KY']);
    await eventually(
      () => all.some((event) => event.data?.orderChanged.state === 'consolidated'),
      'the coordinator to hear the consolidation',
    );
    await eventually(
      () => ky.some((event) => event.data?.orderChanged.state === 'consolidated'),
      'KY to hear about its own order',
    );
    const consolidated = all.find((event) => event.data?.orderChanged.state === 'consolidated');
    // What is delivered is the committed order, read as the subscriber (history included).
    expect(consolidated?.data?.orderChanged).toMatchObject({ id: kyOrder.id, version: kyOrder.version });
    expect(consolidated?.data?.orderChanged.history.at(-1)?.type).toBe('CONSOLIDATE');

    // KSD requested nothing on SF0800: it hears only about its own order, made afterwards.
    const ksdOrder = await consolidatedOrder(writing, coordinator, 'SF1320', ['KSD']);
    await eventually(
      () => ksd.some((event) => event.data?.orderChanged.id === ksdOrder.id),
      'KSD to hear about its own order',
    );
    expect(ksd.every((event) => event.data?.orderChanged.id === ksdOrder.id)).toBe(true);
    expect(ky.every((event) => event.data?.orderChanged.id === kyOrder.id)).toBe(true);
  });

  it('with orderId: that order only; NOT_FOUND for an order the project may not see; BAD_USER_INPUT for a bad id', async () => {
    const first = await consolidatedOrder(writing, coordinator, 'SF1390', ['BARSEL']);
    const other = await consolidatedOrder(writing, coordinator, 'SF1460', ['BARSEL']);
    const barsel = await connect(await listening.projectUser('BARSEL'));
    await barsel.ready();
    const one = barsel.subscribe<OrderChanged>(ORDER_CHANGED, { id: first.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await orderOps.hold(writing, coordinator, other.id, 'waiting for budget');
    // A refused transition commits nothing, so it publishes nothing.
    const refused = await writing.graphql(
      coordinator,
      'mutation($id: ID!) { startTest(orderId: $id) { id } }',
      {
        id: first.id,
      },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
    await orderOps.hold(writing, coordinator, first.id, 'waiting for budget');
    await eventually(() => one.length === 1, 'the one order to change');
    expect(one[0]?.data?.orderChanged).toMatchObject({ id: first.id, state: 'onHold' });

    const ky = await connect(await listening.projectUser('KY'));
    await ky.ready();
    const hidden = ky.subscribe<OrderChanged>(ORDER_CHANGED, { id: first.id });
    const bad = ky.subscribe<OrderChanged>(ORDER_CHANGED, { id: 'not-a-uuid' });
    await eventually(() => hidden.length === 1 && bad.length === 1, 'both refusals');
    expect(hidden[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(bad[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('subscription documents', () => {
  it('are validated and limited as queries are: refused with the same codes before anything is subscribed', async () => {
    const client = await connect(coordinator);
    await client.ready();
    const aliases = Array.from({ length: 16 }, (_, index) => `a${index}: id`).join(' ');
    const cases = [
      [`subscription { orderChanged { ${aliases} } }`, 'BAD_USER_INPUT'],
      ['subscription { orderChanged { noSuchField } }', 'GRAPHQL_VALIDATION_FAILED'],
      ['subscription { orderChanged { history(first: 1000) { version } } }', 'BAD_USER_INPUT'],
    ] as const;
    const answers = cases.map(([query]) => client.subscribe<OrderChanged>(query));
    await eventually(() => answers.every((events) => events.length > 0), 'every subscription to be answered');
    expect(answers.map((events) => events[0]?.errors?.[0]?.extensions?.code)).toEqual(
      cases.map(([, code]) => code),
    );
    // Nothing of them was subscribed: a change reaches a valid subscription only.
    const valid = client.subscribe<OrderChanged>(ORDER_CHANGED);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await consolidatedOrder(writing, coordinator, 'SF1280', ['KY']);
    await eventually(() => valid.some((event) => event.data), 'the valid subscription to hear the change');
    expect(answers.map((events) => events.length)).toEqual([1, 1, 1]);
  });
});

describe('overdueQueueChanged', () => {
  it('tells the coordinators when an overdue order changes, not when an order on time does', async () => {
    clock.set(START);
    const late = await consolidatedOrder(writing, coordinator, 'SF1490', ['KY']);
    await orderOps.send(writing, coordinator, late.id, { replyBy: '2026-12-08' });
    const onTime = await consolidatedOrder(writing, coordinator, 'SF0462', ['KY']);
    await orderOps.send(writing, coordinator, onTime.id, { replyBy: '2026-12-30' });
    clock.set(new Date('2026-12-10T09:00:00.000Z'));

    const client = await connect(coordinator);
    await client.ready();
    const events = client.subscribe<{ overdueQueueChanged: { id: string; state: string } }>(
      'subscription { overdueQueueChanged { id state } }',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await orderOps.hold(writing, coordinator, onTime.id, 'not overdue');
    await orderOps.hold(writing, coordinator, late.id, 'overdue, now on hold');
    await eventually(() => events.length >= 1, 'the overdue order to be reported');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events.map((event) => event.data?.overdueQueueChanged.id)).toEqual([late.id]);
  });
});

describe('connections', () => {
  it('are refused without a valid token', async () => {
    const none = await connect(null);
    await expect(none.ready()).rejects.toThrow();
    const forged = await connect(`${coordinator.slice(0, -4)}AAAA`);
    await expect(forged.ready()).rejects.toThrow();
    const expired = await connect(
      await listening.token({ role: 'coordinator', subject: 'late@kombit.example', expiresIn: '-1s' }),
    );
    await expect(expired.ready()).rejects.toThrow();
    // As graphql-ws expects a refusal: closed with 4403 Forbidden (a client may get a fresh token
    // and reconnect), not a message of another protocol that the client takes for a broken server.
    for (const refused of [none, forged, expired]) {
      expect(refused.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    }
  });

  it('are closed when their token expires', async () => {
    const client = await connect(
      await listening.token({ role: 'coordinator', subject: 'brief@kombit.example', expiresIn: '2s' }),
    );
    await client.ready();
    client.subscribe<OrderChanged>(ORDER_CHANGED);
    await eventually(() => client.closed !== null, 'the socket to close at expiry', 5000);
    expect(client.closed).toMatchObject({ code: 4403, reason: 'Forbidden: token expired' });
  });
});
