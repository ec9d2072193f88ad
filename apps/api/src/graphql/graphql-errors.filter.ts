import { type ArgumentsHost, Catch, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { ErrorCode, isInfrastructureError } from '@snitflow/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** What a plain HTTP route answers while PostgreSQL is unreachable (the pages, the downloads). */
export const SERVICE_UNAVAILABLE_MESSAGE =
  'The database is unavailable for a moment; nothing was changed. Retry shortly.';

/**
 * Answers 503 with `Retry-After: 1` and `{ code: "SERVICE_UNAVAILABLE", retryable: true,
 * requestId }`, logged at warn without a stack: an unreachable database is neither the caller's
 * mistake nor a bug, and GraphQL answers it the same way (error-formatter.ts). False when the
 * exception is something else, or when the answer was already (partly) sent.
 */
export function answerServiceUnavailable(exception: unknown, host: ArgumentsHost, logger: Logger): boolean {
  if (!isInfrastructureError(exception)) return false;
  const http = host.switchToHttp();
  const request = http.getRequest<FastifyRequest>();
  const reply = http.getResponse<FastifyReply>();
  const requestId = String(request.id);
  logger.warn(
    { requestId, method: request.method, cause: (exception as Error).message },
    'database unavailable; answered 503 (retryable)',
  );
  if (!reply.sent) {
    void reply.code(503).header('retry-after', '1').send({
      code: ErrorCode.SERVICE_UNAVAILABLE,
      message: SERVICE_UNAVAILABLE_MESSAGE,
      retryable: true,
      requestId,
    });
  }
  return true;
}

/**
 * Nest logs every exception a resolver throws at error level with its stack, before GraphQL
 * sees it: every CONFLICT or BAD_USER_INPUT would look like an outage. In GraphQL this filter
 * hands the error on untouched (a returned Error is a field error to graphql-js), and the error
 * formatter decides its level: the caller's mistakes at info without a stack, real errors at
 * error with the request id. HTTP routes keep Nest's usual handling, except that an unreachable
 * database is a 503 to retry (answerServiceUnavailable), as it is on /graphql, not a 500.
 */
@Catch()
export class GraphqlErrorsFilter extends BaseExceptionFilter {
  private readonly httpLogger = new Logger('HttpErrors');

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    if (host.getType<string>() === 'http' && answerServiceUnavailable(exception, host, this.httpLogger)) {
      return undefined;
    }
    return super.catch(exception, host);
  }
}
