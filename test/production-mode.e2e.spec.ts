import { ApiHarness } from './support/api-harness.js';

let api: ApiHarness;
let coordinator: string;

beforeAll(async () => {
  api = await ApiHarness.start({
    NODE_ENV: 'production',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    REPLY_LINK_SECRET: 'production-mode-test-reply-link-secret-0123456789',
  });
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api.stop();
});

describe('in production', () => {
  it('refuses introspection', async () => {
    const response = await api.graphql(coordinator, '{ __schema { types { name } } }');
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('gives no field suggestions', async () => {
    const response = await api.graphql(coordinator, '{ interfacez { key } }');
    expect(response.errors?.[0]?.message).toMatch(/Cannot query field "interfacez"/);
    expect(JSON.stringify(response.errors)).not.toMatch(/Did you mean/);
  });

  it('masks unexpected errors and ties them to a request id', async () => {
    // Break the database under the API: the resulting SQL error must not reach the caller.
    await api.db.query('ALTER TABLE source_supplier RENAME TO source_supplier_gone');
    try {
      const response = await api.graphql(coordinator, '{ suppliers { name } }');
      const error = response.errors?.[0];
      expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error?.extensions?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(response)).not.toMatch(/source_supplier|relation|SELECT/i);
    } finally {
      await api.db.query('ALTER TABLE source_supplier_gone RENAME TO source_supplier');
    }
  });
});

describe('outside production', () => {
  it('allows introspection for tooling', async () => {
    const dev = await ApiHarness.start({ NODE_ENV: 'development' });
    try {
      const token = await dev.coordinator();
      const response = await dev.graphql(token, '{ __schema { queryType { name } } }');
      expect(response.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    } finally {
      await dev.stop();
    }
  });
});
