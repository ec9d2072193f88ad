import pg from 'pg';
import { ApiHarness } from './support/api-harness.js';
import { allowConnections, refuseConnections } from './support/database.js';
import { consolidatedOrder, daysFromNow, orderOps } from './support/flows.js';
import { ADMIN_DATABASE_URL } from './support/test-env.js';

let api: ApiHarness;
let coordinator: string;
let orderId: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
  orderId = (await consolidatedOrder(api, coordinator, 'SF1320', ['KY'])).id;
});

afterAll(async () => {
  await api.stop();
});

/** A call that must be refused with `code`, changing no row. */
async function refused(query: string, variables: Record<string, unknown>, code: string) {
  const before = await api.rowCounts();
  const response = await api.graphql(coordinator, query, variables);
  expect(response.errors?.[0]?.extensions?.code).toBe(code);
  expect(await api.rowCounts()).toEqual(before);
  return response;
}

const hold =
  'mutation($orderId: ID!, $reason: String!, $expectedVersion: Int) { putOnHold(orderId: $orderId, reason: $reason, expectedVersion: $expectedVersion) { id } }';
const respond =
  'mutation($orderId: ID!, $input: SupplierResponseInput!) { recordSupplierResponse(orderId: $orderId, input: $input) { id state } }';

describe('a variable that cannot be coerced is BAD_USER_INPUT naming it, as the same value inline would be refused', () => {
  it.each([
    ['an Int over 2^31 − 1', 2147483648],
    ['1e20', 1e20],
    ['1.5', 1.5],
    ['a string', '1'],
  ])('expectedVersion: %s', async (_name, value) => {
    const response = await refused(hold, { orderId, reason: 'x', expectedVersion: value }, 'BAD_USER_INPUT');
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions).toMatchObject({
      fields: ['expectedVersion'],
      variable: 'expectedVersion',
    });
  });

  it('a wrong enum value, an unknown and a missing input field', async () => {
    const wrongEnum = await refused(respond, { orderId, input: { kind: 'MAYBE' } }, 'BAD_USER_INPUT');
    expect(wrongEnum.errors?.[0]?.extensions?.fields).toEqual(['input.kind']);
    const unknown = await refused(
      respond,
      { orderId, input: { kind: 'ACCEPT', mood: 'happy' } },
      'BAD_USER_INPUT',
    );
    expect(unknown.errors?.[0]?.extensions?.fields).toEqual(['input.mood']);
    const missing = await refused(respond, { orderId, input: { note: 'x' } }, 'BAD_USER_INPUT');
    expect(missing.errors?.[0]?.extensions?.fields).toEqual(['input.kind']);
    const absent = await refused(respond, { orderId }, 'BAD_USER_INPUT');
    expect(absent.errors?.[0]?.extensions?.fields).toEqual(['input']);
  });
});

describe('text', () => {
  it.each([
    ['a NUL byte', 'a\u0000b'],
    ['a lone high surrogate', 'a\uD800b'],
    ['a lone low surrogate', '\uDC00'],
  ])('with %s is BAD_USER_INPUT naming the field, and nothing is stored', async (_name, text) => {
    const response = await refused(hold, { orderId, reason: text }, 'BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.fields).toEqual(['reason']);
    const nested = await refused(
      respond,
      { orderId, input: { kind: 'PROPOSE', terms: { conditions: text } } },
      'BAD_USER_INPUT',
    );
    expect(nested.errors?.[0]?.extensions?.fields).toEqual(['input.terms.conditions']);
  });

  it('a real pair of surrogates (an emoji) is text like any other', async () => {
    await orderOps.send(api, coordinator, orderId);
    const asked = await api.ok<{ recordSupplierResponse: { state: string } }>(coordinator, respond, {
      orderId,
      input: { kind: 'ASK', question: '  Hvilket felt? 🙂  ' },
    });
    expect(asked.recordSupplierResponse.state).toBe('negotiation.clarification');
    const stored = await api.ok<{ order: { openQuestion: string } }>(
      coordinator,
      'query($id: ID!) { order(id: $id) { openQuestion } }',
      { id: orderId },
    );
    // Trimmed, and the emoji intact (not U+FFFD).
    expect(stored.order.openQuestion).toBe('Hvilket felt? 🙂');
  });

  it('whitespace-only is refused where text is required (answerSupplier no longer retires the links)', async () => {
    const response = await refused(
      'mutation($orderId: ID!, $input: AnswerSupplierInput!) { answerSupplier(orderId: $orderId, input: $input) { id } }',
      { orderId, input: { answer: '   \n\t ' } },
      'BAD_USER_INPUT',
    );
    expect(response.errors?.[0]?.extensions?.fields).toEqual(['input.answer']);
    const reason = await refused(hold, { orderId, reason: '   ' }, 'BAD_USER_INPUT');
    expect(reason.errors?.[0]?.extensions?.fields).toEqual(['reason']);
  });
});

describe('money', () => {
  it('a price over 100 billion kroner (10^13 øre) is refused; the maximum itself is accepted', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF1390', ['KY']);
    await orderOps.send(api, coordinator, order.id);
    const huge = await refused(
      respond,
      { orderId: order.id, input: { kind: 'PROPOSE', terms: { priceOere: '100000000000000000000000' } } },
      'BAD_USER_INPUT',
    );
    expect(huge.errors?.[0]?.extensions?.fields).toEqual(['input.terms.priceOere']);
    await refused(
      respond,
      { orderId: order.id, input: { kind: 'PROPOSE', terms: { priceOere: '10000000000001' } } },
      'BAD_USER_INPUT',
    );
    const most = await api.ok<{ recordSupplierResponse: { state: string } }>(coordinator, respond, {
      orderId: order.id,
      input: { kind: 'PROPOSE', terms: { priceOere: '10000000000000', deliveryDate: daysFromNow(60) } },
    });
    expect(most.recordSupplierResponse.state).toBe('negotiation.proposalReceived');
  });
});

describe('requests that are not GraphQL get a status and a code of their own', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${coordinator}`, ...headers },
      body,
    });
  const codeOf = async (response: Response) =>
    ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code;

  it('a body over 1 MiB: 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await post(
      JSON.stringify({ query: `{ interfaces { key } } #${'x'.repeat(1024 * 1024)}` }),
    );
    expect(response.status).toBe(413);
    expect(await codeOf(response)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('malformed JSON, an empty body, no query, an empty query: 400 BAD_REQUEST', async () => {
    for (const body of ['{"query": ', '', '{}', '{"query": ""}', '{"query": "   "}']) {
      const response = await post(body);
      expect([body, response.status]).toEqual([body, 400]);
      expect(await codeOf(response)).toBe('BAD_REQUEST');
    }
  });

  it('a query that is not GraphQL text, or body members of the wrong JSON type: 400 BAD_REQUEST', async () => {
    const tree = JSON.stringify({
      kind: 'Document',
      definitions: [
        {
          kind: 'OperationDefinition',
          operation: 'query',
          selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'Field' }] },
        },
      ],
    });
    for (const body of [
      { query: 'true' },
      { query: '5' },
      { query: '{}' },
      { query: 5 },
      // A syntax tree written as JSON is not run (Mercurius would parse it as one).
      { query: tree },
      { query: '{ interfaces { key } }', variables: [1] },
      { query: '{ interfaces { key } }', variables: 'x' },
      { query: '{ interfaces { key } }', operationName: {} },
      { query: { kind: 'Document', definitions: [] } },
    ]) {
      const response = await post(JSON.stringify(body));
      expect([body, response.status, await codeOf(response)]).toEqual([body, 400, 'BAD_REQUEST']);
    }
    // GraphQL text still runs, the shorthand `{ … }` form included.
    const fine = await post(JSON.stringify({ query: '{ interfaces { key } }', variables: null }));
    expect(fine.status).toBe(200);
  });

  it('GET /graphql without a query: 400 BAD_REQUEST; a mutation by GET: 405', async () => {
    const bare = await fetch(`${api.url}/graphql`, { headers: { authorization: `Bearer ${coordinator}` } });
    expect(bare.status).toBe(400);
    expect(await codeOf(bare)).toBe('BAD_REQUEST');
    const mutation = await fetch(
      `${api.url}/graphql?query=${encodeURIComponent(`mutation { cancelOrder(orderId: "${orderId}", reason: "x") { id } }`)}`,
      { headers: { authorization: `Bearer ${coordinator}` } },
    );
    expect(mutation.status).toBe(405);
    expect(await codeOf(mutation)).toBe('METHOD_NOT_ALLOWED');
  });

  it('a document that does not parse: 400 GRAPHQL_PARSE_FAILED', async () => {
    const response = await post(JSON.stringify({ query: '{ interfaces { ke' }));
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('GRAPHQL_PARSE_FAILED');
  });
});

describe('an unreachable database', () => {
  it('is SERVICE_UNAVAILABLE with retryable: true and HTTP 503, and the API serves again once it is back', async () => {
    const name = new URL(api.databaseUrl).pathname.slice(1);
    // The test's own pool loses its connections too; that is expected here.
    api.db.on('error', () => undefined);
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      const response = await api.graphql(coordinator, 'query($id: ID!) { order(id: $id) { state } }', {
        id: orderId,
      });
      expect(response.status).toBe(503);
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        retryable: true,
      });
      expect(response.errors?.[0]?.message).not.toMatch(/postgres|accepting|terminat/i);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    let answered = false;
    for (let attempt = 0; attempt < 20 && !answered; attempt += 1) {
      const again = await api.graphql(coordinator, 'query($id: ID!) { order(id: $id) { state } }', {
        id: orderId,
      });
      answered = !again.errors;
    }
    expect(answered).toBe(true);
  });

  it('is 503 with Retry-After on the web pages and downloads too, not a 500 (nothing was changed)', async () => {
    const name = new URL(api.databaseUrl).pathname.slice(1);
    api.db.on('error', () => undefined);
    const auth = { authorization: `Bearer ${coordinator}` };
    // A well-formed link token (43 base64url characters): the page must look it up.
    const link = `${api.url}/reply/${'A'.repeat(43)}`;
    await refuseConnections(name);
    try {
      for (const [path, init] of [
        ['/admin/programme/matrix.csv', { headers: auth }],
        ['/admin/programme/report', { headers: auth }],
        [`/admin/settlement/${new Date().getFullYear()}/1/101`, { headers: auth }],
        ['/supplier-messages/attachments/5b0c1c3e-9b1a-4c4f-8a53-2f0f5d7b9e11', { headers: auth }],
      ] as const) {
        const response = await fetch(`${api.url}${path}`, init);
        expect([path, response.status, response.headers.get('retry-after')]).toEqual([path, 503, '1']);
        expect(await response.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
      }
      for (const init of [
        {},
        { method: 'POST', body: new URLSearchParams({ answer: 'accept', csrf: 'x' }) },
      ]) {
        const page = await fetch(link, init);
        expect([page.status, page.headers.get('retry-after')]).toEqual([503, '1']);
        expect(page.headers.get('content-type')).toContain('text/html');
      }
    } finally {
      await allowConnections(name);
    }
  });
});
