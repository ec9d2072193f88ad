import { OrderTransitionService } from '@snitflow/orders';
import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder } from './support/flows.js';

type Line = Record<string, unknown> & { level: number; msg?: string };

const lines: Line[] = [];
const logs = {
  write(chunk: string) {
    for (const text of chunk.split('\n')) if (text.trim()) lines.push(JSON.parse(text) as Line);
  },
};

let api: ApiHarness;
let coordinator: string;
let failNext = false;

beforeAll(async () => {
  api = await ApiHarness.start({ LOG_LEVEL: 'info', SUPPLIER_EMAIL_HOURS: 'any' }, { logs });
  await api.startWorker({ logs });
  coordinator = await api.coordinator();
  // A bug on demand: a transition's effect that throws something no code expects.
  api.app.get(OrderTransitionService).addEffect(async () => {
    if (failNext) {
      failNext = false;
      throw new Error('injected bug in an effect');
    }
  });
});

afterAll(async () => {
  await api.stop();
});

/** POSTs a GraphQL document; the answer's request id is the one in the x-request-id header. */
async function call(query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${coordinator}` },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const body = (await response.json()) as { errors?: { extensions: Record<string, unknown> }[] };
  return { status: response.status, body, requestId: response.headers.get('x-request-id') ?? '' };
}

/** The lines that name this request id (as pino-http's reqId or our requestId), once they are written. */
async function linesOf(requestId: string, until: (found: Line[]) => boolean = (found) => found.length > 0) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const found = lines.filter((line) => line.reqId === requestId || line.requestId === requestId);
    if (until(found)) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return lines.filter((line) => line.reqId === requestId || line.requestId === requestId);
}

const requestLine = (found: Line[]) => found.find((line) => line.msg === 'request');

describe('logs an operator can use', () => {
  it('one line per request with its id (the one the client got), operation, outcome and duration', async () => {
    const { requestId } = await call('query Orders { orders(first: 1) { edges { cursor } } }');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const line = requestLine(await linesOf(requestId, (found) => requestLine(found) !== undefined));
    expect(line).toMatchObject({ level: 30, operation: 'query Orders', outcome: 'ok', statusCode: 200 });
    expect(typeof line?.durationMs).toBe('number');
  });

  it('client errors and variable errors at info, without a stack, with the code and fields', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF1320', ['KY']);
    const stale = await call(
      'mutation Hold($id: ID!, $v: Int) { putOnHold(orderId: $id, reason: "x", expectedVersion: $v) { id } }',
      { id: order.id, v: order.version - 1 },
    );
    expect(stale.body.errors?.[0]?.extensions.code).toBe('CONFLICT');
    const staleLines = await linesOf(stale.requestId, (found) => requestLine(found) !== undefined);
    expect(requestLine(staleLines)).toMatchObject({ operation: 'mutation Hold', outcome: 'CONFLICT' });
    expect(staleLines.find((line) => line.msg === 'request refused')).toMatchObject({
      level: 30,
      errors: [expect.objectContaining({ code: 'CONFLICT' })],
    });
    expect(staleLines.every((line) => line.level <= 30)).toBe(true);
    expect(JSON.stringify(staleLines)).not.toMatch(/"stack"|\bat [A-Za-z.]+ \(/);

    const variable = await call(
      'mutation($id: ID!, $v: Int) { putOnHold(orderId: $id, reason: "x", expectedVersion: $v) { id } }',
      { id: order.id, v: 2147483648 },
    );
    expect(variable.status).toBe(400);
    const variableLines = await linesOf(variable.requestId, (found) => requestLine(found) !== undefined);
    expect(variableLines.find((line) => line.msg === 'request refused')).toMatchObject({
      level: 30,
      errors: [expect.objectContaining({ code: 'BAD_USER_INPUT', fields: ['v'] })],
    });
    expect(variableLines.every((line) => line.level <= 30)).toBe(true);
  });

  it('a real error at error level with its stack and the request id the client was told to quote', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF1390', ['KY']);
    failNext = true;
    const failed = await call('mutation($id: ID!) { putOnHold(orderId: $id, reason: "x") { id } }', {
      id: order.id,
    });
    const error = failed.body.errors?.[0]?.extensions;
    expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', requestId: failed.requestId });
    const found = await linesOf(failed.requestId, (all) => requestLine(all) !== undefined);
    const bug = found.find((line) => line.level === 50 && line.msg === 'unexpected error in a resolver');
    expect(JSON.stringify(bug?.err)).toContain('injected bug in an effect');
    expect(JSON.stringify(bug?.err)).toMatch(/stack/);
    expect(requestLine(found)).toMatchObject({ level: 50, outcome: 'INTERNAL_SERVER_ERROR' });
  });

  it("the request id travels into the jobs the request causes and the worker's lines about them", async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF1460', ['KY']);
    const sent = await call('mutation Send($id: ID!) { sendToSupplier(orderId: $id) { state } }', {
      id: order.id,
    });
    expect(sent.body.errors).toBeUndefined();
    // The worker sends the supplier's email (a send-email job) and says so, with the request's id.
    const found = await linesOf(sent.requestId, (all) =>
      all.some((line) => typeof line.msg === 'string' && line.msg.startsWith('Wrote ')),
    );
    expect(found.some((line) => typeof line.msg === 'string' && line.msg.startsWith('Wrote '))).toBe(true);
  });
});
