import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { ErrorCode, SnitflowError } from '@snitflow/common';
import type { FastifyReply } from 'fastify';
import { answerServiceUnavailable } from '../graphql/graphql-errors.filter.js';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
};

/**
 * Domain errors of a plain HTTP route (the attachment download) as HTTP statuses with the
 * same codes GraphQL uses, `{ "code": "NOT_FOUND", "message": … }`; an unreachable database a
 * 503 to retry; anything else is a 500 that says nothing but is logged.
 */
@Catch()
export class HttpDomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpDomainErrorFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = error instanceof SnitflowError ? HTTP_STATUS[error.code] : undefined;
    if (error instanceof SnitflowError && status) {
      void reply.code(status).send({ code: error.code, message: error.message });
      return;
    }
    if (answerServiceUnavailable(error, host, this.logger)) return;
    this.logger.error(`attachment download failed: ${(error as Error).message}`);
    void reply.code(500).send({ code: 'INTERNAL_SERVER_ERROR' });
  }
}
