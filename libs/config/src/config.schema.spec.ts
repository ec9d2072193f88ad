import { ConfigValidationError, loadConfig } from '@snitflow/config';

describe('loadConfig', () => {
  it('gives working local defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/snitflow');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.SMTP_URL).toBeNull();
    expect(config.PUBLIC_BASE_URL).toBe('http://localhost:3000');
    expect(config.SEED_DEMO_DATA).toBe(true);
  });

  it("points links at the API's own port when PUBLIC_BASE_URL is not set", () => {
    expect(loadConfig({ PORT: '3900' }).PUBLIC_BASE_URL).toBe('http://localhost:3900');
    expect(loadConfig({ PORT: '0' }).PUBLIC_BASE_URL).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '3900', PUBLIC_BASE_URL: 'https://snitflow.example/x' }).PUBLIC_BASE_URL).toBe(
      'https://snitflow.example/x',
    );
    expect(loadConfig({ PORT: '3900' }).MAIL_FROM).toBe('snitflow <noreply@localhost>');
  });

  it('leaves email replies off by default and validates the inbound receiver settings at start', () => {
    const config = loadConfig({});
    expect(config.INBOUND_EMAIL_DOMAIN).toBe('');
    expect(config.INBOUND_SMTP_PORT).toBe(2525);
    expect(config.INBOUND_ALLOWED_SENDERS).toEqual(['127.0.0.1', '::1']);
    const on = loadConfig({
      INBOUND_EMAIL_DOMAIN: 'Svar.Example.org',
      INBOUND_ALLOWED_SENDERS: '10.0.0.0/8, 2001:db8::/32,*',
      INBOUND_MAX_MESSAGE_BYTES: '2048',
    });
    expect(on.INBOUND_EMAIL_DOMAIN).toBe('svar.example.org');
    expect(on.INBOUND_ALLOWED_SENDERS).toEqual(['10.0.0.0/8', '2001:db8::/32', '*']);
    let error: unknown;
    try {
      loadConfig({
        INBOUND_EMAIL_DOMAIN: 'not a domain',
        INBOUND_SMTP_PORT: '70000',
        INBOUND_SMTP_HOST: 'localhost',
        INBOUND_MAX_MESSAGE_BYTES: '10',
        INBOUND_MAX_ATTACHMENTS: '-1',
        INBOUND_ALLOWED_SENDERS: '10.0.0.0/33,mail.example.org',
        INBOUND_RATE_LIMIT_PER_HOUR: '0',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems.join('\n');
    for (const name of [
      'INBOUND_EMAIL_DOMAIN',
      'INBOUND_SMTP_PORT',
      'INBOUND_SMTP_HOST',
      'INBOUND_MAX_MESSAGE_BYTES',
      'INBOUND_MAX_ATTACHMENTS',
      'INBOUND_RATE_LIMIT_PER_HOUR',
    ]) {
      expect(problems).toContain(name);
    }
    expect(problems).toContain('"10.0.0.0/33" is not an IP address');
    expect(problems).toContain('"mail.example.org" is not an IP address');
  });

  it('lists every invalid variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL: must be a URL starting with postgres:\/\//);
    expect(problems).toMatch(/JWT_SECRET: must be at least 32 characters/);
  });

  it('refuses the public development secret and a missing mail server in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: must be set in production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SMTP_URL: must be set in production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /REPLY_LINK_SECRET: must be set in production/,
    );
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      REPLY_LINK_SECRET: 'y'.repeat(40),
      SMTP_URL: 'smtp://mail:25',
    };
    expect(loadConfig(production).NODE_ENV).toBe('production');
    expect(() => loadConfig({ ...production, REPLY_LINK_SECRET: 'x'.repeat(40) })).toThrow(
      /differ from JWT_SECRET/,
    );
    // Locally the reply links share JWT_SECRET, so nobody has to configure two secrets to try it.
    expect(loadConfig({ JWT_SECRET: 'z'.repeat(40) }).REPLY_LINK_SECRET).toBe('z'.repeat(40));
  });

  it('checks DEADLINE_POLICIES with the rest, listing every problem', () => {
    const policies = JSON.stringify({
      'negotiation.awaitingSupplier': { businessDays: 0 },
      'no.such.state': { businessDays: 3 },
    });
    let message = '';
    try {
      loadConfig({ DEADLINE_POLICIES: policies, PORT: 'x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/DEADLINE_POLICIES: negotiation\.awaitingSupplier.*businessDays.*at least/);
    expect(message).toMatch(/DEADLINE_POLICIES: no\.such\.state: unknown state/);
    expect(message).toMatch(/PORT/);
    expect(() => loadConfig({ DEADLINE_POLICIES: '{not json' })).toThrow(/DEADLINE_POLICIES/);
    expect(
      loadConfig({ DEADLINE_POLICIES: '{"negotiation.awaitingSupplier":{"businessDays":5}}' })
        .DEADLINE_POLICIES,
    ).toContain('5');
  });

  it('treats an empty SMTP_URL as "write .eml files"', () => {
    expect(loadConfig({ SMTP_URL: '' }).SMTP_URL).toBeNull();
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }).SMTP_URL).toBe('smtp://127.0.0.1:2525');
  });

  it('reads closing days and office hours, and lets the calendar judge them', () => {
    const defaults = loadConfig({});
    expect(defaults.CLOSING_DAYS).toEqual(['12-24', '12-31', '06-05']);
    expect(defaults.OFFICE_HOURS).toEqual({ start: '08:00', end: '16:00' });
    const custom = loadConfig({ CLOSING_DAYS: '12-24, 2027-05-07', OFFICE_HOURS: '09:00-15:30' });
    expect(custom.CLOSING_DAYS).toEqual(['12-24', '2027-05-07']);
    expect(custom.OFFICE_HOURS).toEqual({ start: '09:00', end: '15:30' });
    expect(() => loadConfig({ CLOSING_DAYS: '13-45' })).toThrow(/CLOSING_DAYS/);
    expect(() => loadConfig({ OFFICE_HOURS: '16:00-08:00' })).toThrow(/OFFICE_HOURS: .*must be before/);
    expect(() => loadConfig({ OFFICE_HOURS: 'nine to five' })).toThrow(/OFFICE_HOURS/);
  });

  it('reads TRUST_PROXY as none, any or a list of proxies', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
  });
});
