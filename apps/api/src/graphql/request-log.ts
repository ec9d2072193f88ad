import { Logger } from '@nestjs/common';
import { ErrorCode, runWithRequestId } from '@snitflow/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type DocumentNode, getOperationAST } from 'graphql';
import { loggerOf, type RequestLogger } from './error-formatter.js';

interface RequestFacts {
  startedAt: bigint;
  operation?: string;
  codes?: readonly string[];
}

const facts = new WeakMap<FastifyRequest, RequestFacts>();
const fallback = new Logger('Request');

/** The error codes a GraphQL answer carried (the error formatter says), for the request's log line. */
export function recordOutcome(request: FastifyRequest, codes: readonly string[]): void {
  const known = facts.get(request);
  if (known) known.codes = [...(known.codes ?? []), ...codes];
}

/** Mercurius preExecution hook: remembers "mutation putOnHold" (or "query (anonymous)") for the log line. */
export async function rememberOperation(
  _schema: unknown,
  document: DocumentNode,
  context: { reply: { request: FastifyRequest } },
): Promise<void> {
  const request = context.reply.request;
  const body = request.body as { operationName?: unknown } | undefined;
  const query = request.query as { operationName?: unknown } | undefined;
  const wanted = body?.operationName ?? query?.operationName;
  const operation = getOperationAST(document, typeof wanted === 'string' ? wanted : undefined);
  const known = facts.get(request);
  if (known && operation) {
    known.operation = `${operation.operation} ${operation.name?.value ?? '(anonymous)'}`;
  }
}

/**
 * One log line per request — request id (the one quoted to clients), operation, outcome
 * (ok, or the error codes), HTTP status and duration — and the request id in scope for
 * everything the request does, so its other log lines and the jobs it queues carry it.
 * Health checks log at debug; a request that hit a bug at error; all others at info.
 */
export function registerRequestLog(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    facts.set(request, { startedAt: process.hrtime.bigint() });
    // Every answer names its request, so a client can quote it for any request, not only a failed one.
    reply.header('x-request-id', String(request.id));
    runWithRequestId(String(request.id), done);
  });
  // Body parsing may leave the onRequest scope; the handler runs inside this one.
  fastify.addHook('preValidation', (request, _reply, done) => {
    runWithRequestId(String(request.id), done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const known = facts.get(request);
    const durationMs = known ? Number(process.hrtime.bigint() - known.startedAt) / 1e6 : null;
    const codes = [...new Set(known?.codes ?? [])];
    const line = {
      requestId: String(request.id),
      operation:
        known?.operation ?? `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
      outcome:
        codes.length === 0 && reply.statusCode < 400 ? 'ok' : codes.join(',') || `HTTP ${reply.statusCode}`,
      statusCode: reply.statusCode,
      durationMs: durationMs === null ? null : Math.round(durationMs * 10) / 10,
    };
    const log = loggerOf(request) as
      | (RequestLogger & { debug(object: object, message: string): void })
      | undefined;
    const level =
      codes.includes(ErrorCode.INTERNAL_SERVER_ERROR) || (reply.statusCode >= 500 && reply.statusCode !== 503)
        ? 'error'
        : request.url.startsWith('/health')
          ? 'debug'
          : 'info';
    if (log) log[level](line, 'request');
    else if (level === 'error') fallback.error(line, 'request');
    else if (level === 'info') fallback.log(line, 'request');
    else fallback.debug(line, 'request');
    done();
  });
}
