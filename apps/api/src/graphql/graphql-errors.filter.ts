import { type ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/**
 * Nest logs every exception a resolver throws at error level with its stack, before GraphQL
 * sees it: every CONFLICT or BAD_USER_INPUT would look like an outage. In GraphQL this filter
 * hands the error on untouched (a returned Error is a field error to graphql-js), and the error
 * formatter decides its level: the caller's mistakes at info without a stack, real errors at
 * error with the request id. HTTP routes keep Nest's usual handling.
 */
@Catch()
export class GraphqlErrorsFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    return super.catch(exception, host);
  }
}
