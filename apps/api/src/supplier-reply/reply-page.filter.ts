import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Logger } from '@nestjs/common';
import { isInfrastructureError } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { isLanguage, type Language } from '@snitflow/mail';
import { renderReplyStatusPage } from '@snitflow/pages';
import type { FastifyReply, FastifyRequest } from 'fastify';

// The language of the page a request is about, once the controller knows it from the link, so
// an error after that point is explained in the supplier's own language.
const pageLanguages = new WeakMap<FastifyRequest, Language>();

export function rememberPageLanguage(request: FastifyRequest, language: Language): void {
  pageLanguages.set(request, language);
}

/** The link's language if known, else what the request asked for (?lang=, the form's lang), else Danish. */
function languageOf(request: FastifyRequest): Language {
  const known = pageLanguages.get(request);
  if (known) return known;
  const query = request.query as Record<string, unknown> | undefined;
  const body = request.body as Record<string, unknown> | undefined;
  const asked = query?.lang ?? (typeof body === 'object' && body !== null ? body.lang : undefined);
  return isLanguage(asked) ? asked : 'da';
}

/**
 * Whatever the reply pages throw. Every outcome they expect (used, retired, expired, unknown
 * links, a refused answer) is a page of its own and never thrown, so what reaches this filter
 * is a failure on our side (a lost database connection, a deadlock): logged with the request
 * id, and answered as the HTML error page quoting that id in the page's language — never as
 * Nest's JSON, which a supplier's browser would show as raw text: 500, or 503 with Retry-After
 * when the database is unreachable (nothing was changed; sending again shortly will work).
 */
@Catch()
export class ReplyPageErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ReplyPage');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const requestId = String(request.id);
    // An unreachable database is no bug: the same page (its text asks to send again in a few
    // minutes), but 503 with Retry-After and a warning, as /graphql answers it.
    const unavailable = isInfrastructureError(exception);
    if (unavailable) {
      this.logger.warn(
        { requestId, method: request.method, cause: (exception as Error).message },
        'database unavailable on the supplier reply page; answered 503 (retryable)',
      );
    } else {
      this.logger.error(
        { err: exception, requestId, method: request.method },
        'unexpected error on the supplier reply page',
      );
    }
    // A response already (partly) sent cannot be replaced: the log line is all there is.
    if (reply.sent) return;
    const page = renderReplyStatusPage(
      'ERROR',
      languageOf(request),
      { name: this.config.COORDINATOR_NAME, email: this.config.COORDINATOR_EMAIL },
      undefined,
      { requestId },
    );
    if (unavailable) void reply.header('retry-after', '1');
    void reply
      .code(unavailable ? 503 : 500)
      .headers(page.headers)
      .type('text/html; charset=utf-8')
      .send(page.html);
  }
}
