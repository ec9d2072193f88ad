import { isIP } from 'node:net';
import {
  BusinessCalendar,
  CalendarInputError,
  DEFAULT_CLOSING_DAYS,
  DEFAULT_OFFICE_HOURS,
} from '@snitflow/calendar';
import { DeadlinePolicyError, parseDeadlinePolicies } from '@snitflow/deadlines';
import { z } from 'zod';

/**
 * Every setting snitflow reads, with working local defaults so that
 * `npm install && npm start` runs on a machine with the local Postgres/Redis.
 * Production refuses the development JWT secret: a forgotten variable must not
 * become a guessable signing key.
 */
const DEVELOPMENT_JWT_SECRET = 'snitflow-local-development-secret-do-not-use-in-production';

const urlWithProtocol = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** The worker's own HTTP port: /health/live, /health/ready and /metrics (0: a free port the system picks, logged). */
    WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    /**
     * When set, /metrics (API and worker) answers only `Authorization: Bearer <METRICS_TOKEN>`;
     * empty: open, for an internal network that the public proxy does not route /metrics to.
     */
    METRICS_TOKEN: z
      .string()
      .trim()
      .default('')
      .refine((value) => value === '' || value.length >= 16, 'must be at least 16 characters')
      .transform((value) => (value === '' ? null : value)),
    DATABASE_URL: urlWithProtocol(['postgres:', 'postgresql:']).default(
      'postgres://postgres@127.0.0.1:5432/snitflow',
    ),
    REDIS_URL: urlWithProtocol(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    /** Key prefix for every BullMQ key, so test runs and deployments sharing a Redis never collide. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and - only')
      .default('snitflow'),
    /** Empty: outgoing mail is written as .eml files under MAIL_DROP_DIR instead of being sent. */
    SMTP_URL: z
      .union([z.literal(''), urlWithProtocol(['smtp:', 'smtps:'])])
      .default('')
      .transform((value) => (value === '' ? null : value)),
    MAIL_DROP_DIR: z.string().default('.outbox'),
    /**
     * The From of every email, e.g. `KOMBIT snitflow <snitflow@kombit.dk>`. Empty: `snitflow
     * <noreply@HOST>`, HOST from PUBLIC_BASE_URL.
     */
    MAIL_FROM: z
      .string()
      .trim()
      .default('')
      .refine(
        (value) => value === '' || /^(?:[^<>@\r\n]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/.test(value),
        'must be an address, optionally with a name: Name <address@example.org>',
      ),
    /**
     * How many times the worker tries to send one email before marking it FAILED (a coordinator
     * can retry it then). At most the queue's job attempts (8).
     */
    EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(8).default(8),
    /**
     * How long a worker holds an email it is sending (its lease, in seconds): longer than the
     * slowest SMTP conversation (10 s to connect, 60 s of silence). Only after it lapses does
     * another run send the email again, with the same Message-ID (the first may have died).
     */
    EMAIL_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
    /** First retry delay of a failed job, in ms, doubling per attempt (8 attempts). */
    JOB_BACKOFF_MS: z.coerce.number().int().min(1).max(600_000).default(2000),
    /**
     * A job that found Postgres unreachable waits and tries again without using up its
     * attempts, at most this many seconds apart (doubling from 0.5 s).
     */
    WAKE_UP_RETRY_MAX_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    /**
     * Base of every link in emails and self-link. Unset: `http://localhost:<PORT>` (3000 when
     * PORT is 0 or unset), so a local API on another port still sends links that reach it.
     */
    PUBLIC_BASE_URL: urlWithProtocol(['http:', 'https:']).optional(),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_JWT_SECRET),
    /**
     * Key of the reply links' tokens and the reply form's CSRF tokens, apart from JWT_SECRET so
     * that rotating one does not touch the other (rotating this one retires every link not yet
     * answered). Locally it defaults to JWT_SECRET; production requires its own.
     */
    REPLY_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * Overrides of the deadline policies, as JSON merged over the defaults, e.g.
     * {"negotiation.awaitingSupplier":{"businessDays":5}} (see README).
     */
    DEADLINE_POLICIES: z
      .string()
      .default('')
      .superRefine((value, ctx) => {
        // Checked with the rest, so a typo stops `npm start` with the list of problems
        // instead of crashing the API and the worker after the migrations ran.
        if (!value) return;
        try {
          parseDeadlinePolicies(value);
        } catch (error) {
          if (!(error instanceof DeadlinePolicyError)) throw error;
          for (const problem of error.problems) ctx.addIssue({ code: 'custom', message: problem });
        }
      }),
    /**
     * When emails asking a supplier to answer may go out: `office` holds them until office
     * hours on a Danish business day (08:00–16:00 Copenhagen); `any` sends at once (local
     * trials at night, test systems).
     */
    SUPPLIER_EMAIL_HOURS: z.enum(['office', 'any']).default('office'),
    /**
     * Days on which no deadline counts, besides weekends and public holidays: MM-DD every
     * year or YYYY-MM-DD once, comma-separated (default 24 and 31 December, 5 June).
     */
    CLOSING_DAYS: z
      .string()
      .default(DEFAULT_CLOSING_DAYS.join(','))
      .transform((value) =>
        value
          .split(',')
          .map((day) => day.trim())
          .filter((day) => day !== ''),
      )
      .superRefine((days, ctx) => calendarProblem(ctx, { closingDays: days })),
    /** Office hours in Copenhagen, HH:mm-HH:mm: supplier emails wait for them, deadlines end with them. */
    OFFICE_HOURS: z
      .string()
      .default(`${DEFAULT_OFFICE_HOURS.start}-${DEFAULT_OFFICE_HOURS.end}`)
      .transform((value) => {
        const [start = '', end = ''] = value.split('-').map((part) => part.trim());
        return { start, end };
      })
      .superRefine((hours, ctx) => calendarProblem(ctx, { officeHours: hours })),
    /**
     * Which proxies' X-Forwarded-For to believe for the client address (the reply page's rate
     * limit): `false` (none, default), `true` (any: only behind a proxy that overwrites it), or
     * comma-separated addresses/CIDRs of the proxies.
     */
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((value): boolean | string[] => {
        const text = value.trim();
        if (text === 'false' || text === '') return false;
        if (text === 'true') return true;
        return text.split(',').map((part) => part.trim());
      }),
    /**
     * Rate limits, counted in Redis (shared by every API process) per window of
     * RATE_LIMIT_WINDOW_SECONDS: requests to /graphql per bearer token (per address for a
     * missing or invalid one), sign-in attempts at /admin/login per address, reply page loads and
     * answers per address. 0 turns a limit off. A refusal is HTTP 429 with Retry-After.
     */
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    GRAPHQL_RATE_LIMIT: z.coerce.number().int().min(0).max(10_000_000).default(1200),
    ADMIN_LOGIN_RATE_LIMIT: z.coerce.number().int().min(0).max(10_000_000).default(10),
    REPLY_PAGE_RATE_LIMIT: z.coerce.number().int().min(0).max(10_000_000).default(30),
    /** Where reminders and escalations for the coordinators go. */
    COORDINATOR_EMAIL: z.string().email().default('koordinatorer@kombit.example'),
    COORDINATOR_NAME: z.string().min(1).default('KOMBIT koordinatorer'),
    /** How often the worker rebuilds missing reminder jobs from Postgres (also at start). */
    RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(300),
    /**
     * The mail domain whose addresses reach snitflow's inbound SMTP receiver, e.g.
     * `svar.snitflow.kombit.dk` (its MX points at the worker). Empty (default): suppliers answer
     * by the reply page only; emails carry no Reply-To and the worker opens no SMTP port.
     */
    INBOUND_EMAIL_DOMAIN: z
      .string()
      .trim()
      .toLowerCase()
      .default('')
      .refine(
        (value) =>
          value === '' ||
          /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(
            value,
          ),
        'must be a domain name, e.g. svar.example.org',
      ),
    /** TCP port of the inbound SMTP receiver (0: a free port the system picks, for tests). */
    INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
    /** Address the inbound SMTP receiver listens on. */
    INBOUND_SMTP_HOST: z
      .string()
      .trim()
      .default('127.0.0.1')
      .refine((value) => isIP(value) !== 0, 'must be an IP address, e.g. 0.0.0.0 or 127.0.0.1'),
    /** Largest message the receiver accepts, in bytes (announced as SIZE; larger ones are refused). */
    INBOUND_MAX_MESSAGE_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    /** Most attachments one received message may carry; a message with more is refused. */
    INBOUND_MAX_ATTACHMENTS: z.coerce.number().int().min(0).max(50).default(10),
    /**
     * Hosts allowed to hand mail to the receiver: comma-separated addresses or CIDRs (the MX
     * relays in front of it), or `*` for any. Others are refused at connect.
     */
    INBOUND_ALLOWED_SENDERS: z
      .string()
      .default('127.0.0.1,::1')
      .transform((value) =>
        value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== ''),
      )
      .superRefine((entries, ctx) => {
        if (entries.length === 0)
          ctx.addIssue({ code: 'custom', message: 'must list at least one host or *' });
        for (const entry of entries) {
          if (entry === '*') continue;
          const [address = '', bits, extra] = entry.split('/');
          const family = isIP(address);
          const prefix = bits === undefined ? null : Number(bits);
          const okPrefix =
            prefix === null ||
            (bits !== '' && Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 6 ? 128 : 32));
          if (family === 0 || !okPrefix || extra !== undefined) {
            ctx.addIssue({ code: 'custom', message: `"${entry}" is not an IP address, a CIDR or *` });
          }
        }
      }),
    /** Messages one sender address may hand in per hour; more are refused with a temporary error. */
    INBOUND_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(60),
    /** Load the demo catalogue into an empty database at start-up. */
    SEED_DEMO_DATA: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    /** With SEED_DEMO_DATA: also load the deck's demo programme (requests, orders, six weeks of history) when there are no orders. */
    SEED_DEMO_PROGRAMME: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && !config.SMTP_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_URL'],
        message:
          'must be set in production (without it, emails are written to files and their reply links to the log)',
      });
    }
    if (
      config.NODE_ENV === 'production' &&
      (!config.REPLY_LINK_SECRET || config.REPLY_LINK_SECRET === config.JWT_SECRET)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['REPLY_LINK_SECRET'],
        message: 'must be set in production, and differ from JWT_SECRET',
      });
    }
    if (config.NODE_ENV === 'production' && config.JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'must be set in production (the development default is public)',
      });
    }
  })
  .transform((withoutBase) => {
    const config = {
      ...withoutBase,
      PUBLIC_BASE_URL: withoutBase.PUBLIC_BASE_URL ?? `http://localhost:${withoutBase.PORT || 3000}`,
    };
    return {
      ...config,
      MAIL_FROM: config.MAIL_FROM || `snitflow <noreply@${new URL(config.PUBLIC_BASE_URL).hostname}>`,
      /**
       * The path part of PUBLIC_BASE_URL without a trailing slash ('' at the root, '/snitflow'
       * behind a proxy that serves snitflow under /snitflow): every self-link the API writes
       * (form actions, language switches, redirects, cookie paths) starts with it.
       */
      PUBLIC_BASE_PATH: new URL(config.PUBLIC_BASE_URL).pathname.replace(/\/+$/, ''),
      REPLY_LINK_SECRET: config.REPLY_LINK_SECRET ?? config.JWT_SECRET,
    };
  });

export type AppConfig = z.output<typeof configSchema>;

/** The calendar itself judges closing days and office hours, so config and use never disagree. */
function calendarProblem(
  ctx: z.RefinementCtx,
  options: ConstructorParameters<typeof BusinessCalendar>[0],
): void {
  try {
    new BusinessCalendar(options);
  } catch (error) {
    if (!(error instanceof CalendarInputError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Reads and validates the environment; throws one error listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigValidationError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}
