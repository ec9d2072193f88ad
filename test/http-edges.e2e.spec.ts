import { randomInt, randomUUID } from 'node:crypto';
import { replyPageStyleHash } from '@snitflow/pages';
import { ApiHarness } from './support/api-harness.js';

// Two API instances (their own Fastify, Nest app and Redis client each; nothing shared but
// Redis), so the limits are shown to be counted across API processes, not in one's memory.
let first: ApiHarness;
let second: ApiHarness;

const LIMITS = {
  RATE_LIMIT_WINDOW_SECONDS: '60',
  GRAPHQL_RATE_LIMIT: '5',
  ADMIN_LOGIN_RATE_LIMIT: '3',
  REPLY_PAGE_RATE_LIMIT: '4',
  // The client address comes from X-Forwarded-For, so each test is a client of its own.
  TRUST_PROXY: 'true',
};

beforeAll(async () => {
  first = await ApiHarness.start(LIMITS);
  second = await ApiHarness.start(LIMITS);
});

afterAll(async () => {
  await first?.stop();
  await second?.stop();
});

/** An address no other test (or earlier run within the window) uses. */
const someAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
/** A coordinator token of its own, so its budget is fresh. */
const freshToken = () =>
  first.token({ role: 'coordinator', subject: `limit-${randomUUID()}@kombit.example` });

async function graphql(api: ApiHarness, token: string, address: string) {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-forwarded-for': address,
    },
    body: JSON.stringify({ query: '{ projects { code } }' }),
  });
  const body = (await response.json()) as { errors?: { extensions?: Record<string, unknown> }[] };
  return { status: response.status, headers: response.headers, body };
}

describe('security headers', () => {
  it('are on every route; the reply page keeps its own stricter CSP', async () => {
    const responses = {
      health: await fetch(`${first.url}/health`),
      graphql: await fetch(`${first.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
      login: await fetch(`${first.url}/admin/login`),
      dashboard: await fetch(`${first.url}/admin/queues`, { redirect: 'manual' }),
      reply: await fetch(`${first.url}/reply/not-a-token`, { headers: { 'x-forwarded-for': someAddress() } }),
      unknown: await fetch(`${first.url}/nothing-here`),
    };
    for (const [name, response] of Object.entries(responses)) {
      const headers = response.headers;
      expect([name, headers.get('x-content-type-options')]).toEqual([name, 'nosniff']);
      expect([name, headers.get('content-security-policy')]).toEqual([
        name,
        expect.stringContaining('default-src'),
      ]);
      expect([name, headers.get('referrer-policy')]).toEqual([name, expect.any(String)]);
      expect([name, headers.get('x-frame-options')]).toEqual([
        name,
        expect.stringMatching(/^(SAMEORIGIN|DENY)$/),
      ]);
      expect([name, headers.get('cross-origin-opener-policy')]).toEqual([name, 'same-origin']);
      // Plain http here: HSTS would pin a host to https it does not serve.
      expect(headers.get('strict-transport-security')).toBeNull();
    }
    expect(responses.graphql.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(responses.reply.headers.get('content-security-policy')).toBe(
      `default-src 'none'; style-src ${replyPageStyleHash()}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    );
    expect(responses.reply.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('rate limits counted in Redis across API processes', () => {
  it('/graphql: per token, with Retry-After; another token is not affected', async () => {
    const token = await freshToken();
    const address = someAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await graphql(i % 2 ? second : first, token, address)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);

    const refused = await graphql(second, token, address);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterSeconds: retryAfter,
    });
    expect((await graphql(first, token, someAddress())).status).toBe(429);

    // Another token from the same address has its own budget.
    expect((await graphql(first, await freshToken(), address)).status).toBe(200);
  });

  it('/graphql: invented or missing tokens count per address, so they buy no fresh budget', async () => {
    const address = someAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1)
      statuses.push((await graphql(i % 2 ? second : first, `forged-${i}`, address)).status);
    expect(statuses.slice(0, 5).every((status) => status === 200)).toBe(true);
    expect(statuses[5]).toBe(429);
  });

  it('POST /admin/login: per address, with Retry-After, even for a right token once exceeded', async () => {
    const address = someAddress();
    const attempt = (api: ApiHarness, token: string, from = address) =>
      fetch(`${api.url}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from },
        body: new URLSearchParams({ token }).toString(),
      });
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await attempt(i % 2 ? second : first, `guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401]);
    const refused = await attempt(first, await freshToken());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another address signs in.
    expect((await attempt(second, await freshToken(), someAddress())).status).toBe(303);
  });

  it('the reply page: per address, with Retry-After and the page that says so', async () => {
    const address = someAddress();
    const load = (api: ApiHarness) =>
      fetch(`${api.url}/reply/not-a-token?lang=en`, { headers: { 'x-forwarded-for': address } });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await load(i % 2 ? second : first)).status);
    expect(statuses).toEqual([404, 404, 404, 404]);
    const refused = await load(second);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await refused.text()).toContain('Too many attempts');
  });
});
