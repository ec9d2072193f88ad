import { createHash } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InvalidTokenError, verifyToken } from '@snitflow/auth';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { isLanguage } from '@snitflow/mail';
import { renderReplyStatusPage } from '@snitflow/pages';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';

/** The code of a GraphQL request refused by the rate limit (HTTP 429, with Retry-After). */
export const RATE_LIMITED = 'RATE_LIMITED';

type Decision = Awaited<ReturnType<ReturnType<FastifyInstance['createRateLimit']>>>;

interface Limit {
  /** Whether this limit counts the request (method and path after the proxy prefix is stripped). */
  applies(method: string, path: string): boolean;
  check(request: FastifyRequest): Promise<Decision>;
  refuse(request: FastifyRequest, reply: FastifyReply, retryAfterSeconds: number): FastifyReply;
}

const bearerOf = (request: FastifyRequest): string | null => {
  const header = request.headers.authorization;
  return typeof header === 'string' ? (/^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? null) : null;
};

const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

/**
 * Security headers on every route (@fastify/helmet) and rate limits counted in Redis
 * (@fastify/rate-limit), so several API processes share one budget per client.
 *
 * Headers: helmet's defaults (CSP `default-src 'self'`, nosniff, frame-ancestors, referrer
 * policy, …; HSTS only when PUBLIC_BASE_URL is https). Web pages replace the CSP with their own,
 * stricter one (`default-src 'none'` and their style hash, see libs/pages) when they answer.
 *
 * Limits (README "Exports, headers and rate limits"): /graphql per bearer token — per address
 * when the token is missing or invalid, so inventing tokens does not buy a fresh budget;
 * POST /admin/login per address; the reply page per address. Redis being unreachable lets
 * requests through (Redis only protects here; Postgres is the truth) rather than failing them.
 */
export async function registerHttpEdges(app: NestFastifyApplication): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;

  await fastify.register(helmet, {
    hsts: config.PUBLIC_BASE_URL.startsWith('https:'),
    contentSecurityPolicy: {
      directives: {
        // Bull Board (the queue dashboard) loads its fonts' stylesheet from Google.
        'style-src': ["'self'", 'https:', "'unsafe-inline'"],
        'upgrade-insecure-requests': config.PUBLIC_BASE_URL.startsWith('https:') ? [] : null,
      },
    },
  });

  const window = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const wanted = [config.GRAPHQL_RATE_LIMIT, config.ADMIN_LOGIN_RATE_LIMIT, config.REPLY_PAGE_RATE_LIMIT];
  if (wanted.every((max) => max === 0)) return;

  // A client of its own: a blocked BullMQ connection must not hold up a request's limit check.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  redis.on('error', () => {
    // Reported by the health check and the worker; a limit check without Redis lets the request through.
  });
  fastify.addHook('onClose', async () => {
    redis.disconnect();
  });
  await fastify.register(rateLimit, {
    global: false,
    redis,
    nameSpace: `${config.REDIS_PREFIX}:rate-limit:`,
    skipOnError: true,
  });

  // A verified token is remembered for a minute, so the limit does not cost a signature check
  // per request (an expired one only keeps its own budget a little longer; the guard refuses it).
  const verified = new Map<string, number>();
  const tokenKey = async (request: FastifyRequest): Promise<string> => {
    const token = bearerOf(request);
    if (token) {
      const expires = verified.get(token);
      if (expires !== undefined && expires > Date.now()) return `graphql:token:${sha256(token)}`;
      try {
        await verifyToken(config.JWT_SECRET, token);
        if (verified.size >= 1000) verified.clear();
        verified.set(token, Date.now() + 60_000);
        return `graphql:token:${sha256(token)}`;
      } catch (error) {
        if (!(error instanceof InvalidTokenError)) throw error;
      }
    }
    return `graphql:address:${request.ip}`;
  };

  const limits: Limit[] = [];
  if (config.GRAPHQL_RATE_LIMIT > 0) {
    const check = fastify.createRateLimit({
      max: config.GRAPHQL_RATE_LIMIT,
      timeWindow: window,
      keyGenerator: tokenKey,
    });
    limits.push({
      applies: (_method, path) => path === '/graphql',
      check,
      refuse: (request, reply, retryAfter) =>
        reply
          .code(429)
          .type('application/json; charset=utf-8')
          .send({
            data: null,
            errors: [
              {
                message: `Too many requests for this token; retry after ${retryAfter} s`,
                extensions: {
                  code: RATE_LIMITED,
                  retryable: true,
                  retryAfterSeconds: retryAfter,
                  requestId: String(request.id),
                },
              },
            ],
          }),
    });
  }
  if (config.ADMIN_LOGIN_RATE_LIMIT > 0) {
    const check = fastify.createRateLimit({
      max: config.ADMIN_LOGIN_RATE_LIMIT,
      timeWindow: window,
      keyGenerator: (request) => `admin-login:${request.ip}`,
    });
    limits.push({
      applies: (method, path) => method === 'POST' && path === '/admin/login',
      check,
      refuse: (_request, reply, retryAfter) =>
        reply
          .code(429)
          .type('text/plain; charset=utf-8')
          .send(`Too many sign-in attempts; retry after ${retryAfter} s.`),
    });
  }
  if (config.REPLY_PAGE_RATE_LIMIT > 0) {
    const check = fastify.createRateLimit({
      max: config.REPLY_PAGE_RATE_LIMIT,
      timeWindow: window,
      keyGenerator: (request) => `reply:${request.ip}`,
    });
    limits.push({
      applies: (_method, path) => path.startsWith('/reply/'),
      check,
      refuse: (request, reply) => {
        const asked = (request.query as Record<string, unknown> | undefined)?.lang;
        const page = renderReplyStatusPage('RATE_LIMITED', isLanguage(asked) ? asked : 'da', {
          name: config.COORDINATOR_NAME,
          email: config.COORDINATOR_EMAIL,
        });
        return reply.code(429).headers(page.headers).type('text/html; charset=utf-8').send(page.html);
      },
    });
  }

  fastify.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    for (const limit of limits) {
      if (!limit.applies(request.method, path)) continue;
      const decision = await limit.check(request);
      if (decision.isAllowed) continue;
      reply.header('ratelimit-limit', String(decision.max));
      reply.header('ratelimit-remaining', String(decision.remaining));
      reply.header('ratelimit-reset', String(decision.ttlInSeconds));
      if (decision.isExceeded) {
        const retryAfter = Math.max(1, decision.ttlInSeconds);
        reply.header('retry-after', String(retryAfter));
        return limit.refuse(request, reply, retryAfter);
      }
    }
  });
}
