import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { type Language, parseReplyForm, type ReplyFormValues } from '@snitflow/mail';
import {
  REPLY_STATUS_HTTP,
  type RenderedPage,
  type ReplyStatusKind,
  renderReplyPage,
  renderReplyStatusPage,
  replyPageLabel,
} from '@snitflow/pages';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/current-user.js';
import { type ReplyLookup, ReplyService } from './reply.service.js';
import { ReplyPageErrorFilter, rememberPageLanguage } from './reply-page.filter.js';

/**
 * The supplier reply page: plain server-rendered HTML, no JavaScript, Danish
 * or English. GET only shows; POST answers. An unexpected error is an HTML
 * page too (ReplyPageErrorFilter).
 */
@Controller('reply')
@UseFilters(ReplyPageErrorFilter)
export class ReplyController {
  // Page loads and answers per address are limited before this controller runs, counted in
  // Redis for all API processes (REPLY_PAGE_RATE_LIMIT, apps/api/src/http-edges).
  constructor(private readonly replies: ReplyService) {}

  @Public()
  @Get(':token')
  async show(
    @Param('token') token: string,
    @Query('lang') lang: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const found = await this.replies.lookup(token, lang);
    rememberPageLanguage(request, found.language);
    if (found.kind === 'status') return this.status(reply, found);
    return this.page(reply, 200, found, token, [], {});
  }

  @Public()
  @Post(':token')
  async answer(
    @Param('token') token: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const form = body ?? {};
    const lang = form.lang;
    const found = await this.replies.lookup(token, lang);
    rememberPageLanguage(request, found.language);
    if (found.kind === 'status') return this.status(reply, found);
    const values = formValues(form);
    if (!this.replies.csrfValid(found.tokenHash, form.csrf)) {
      return this.page(reply, 403, found, token, [replyPageLabel(found.language, 'formExpired')], values);
    }
    const parsed = parseReplyForm(form, found.language, { today: this.replies.today() });
    if (!parsed.ok) return this.page(reply, 400, found, token, parsed.errors, values);
    const outcome = await this.replies.answer(token, parsed.answer, found.language);
    if (outcome.kind === 'status') return this.status(reply, outcome);
    return this.status(reply, { status: 'THANKS', language: outcome.language });
  }

  private status(
    reply: FastifyReply,
    { status, language, receivedOn }: { status: ReplyStatusKind; language: Language; receivedOn?: string },
  ) {
    return send(
      reply,
      REPLY_STATUS_HTTP[status],
      renderReplyStatusPage(status, language, this.replies.contact, undefined, { receivedOn }),
    );
  }

  private page(
    reply: FastifyReply,
    code: number,
    found: Extract<ReplyLookup, { kind: 'open' }>,
    token: string,
    errors: string[],
    values: ReplyFormValues,
  ) {
    const page = renderReplyPage({
      language: found.language,
      order: found.order,
      recipientName: found.link.contactName,
      // Behind a proxy under a path (PUBLIC_BASE_URL's), the browser must post there too.
      formAction: `${this.replies.basePath}/reply/${token}`,
      csrfToken: this.replies.csrfFor(found.tokenHash),
      openQuestion: found.openQuestion,
      proposal: found.proposal,
      errors,
      values,
    });
    return send(reply, code, page);
  }
}

/** A rendered page with the headers it was rendered for (its CSP carries the style hash). */
function send(reply: FastifyReply, code: number, page: RenderedPage) {
  return reply.code(code).headers(page.headers).type('text/html; charset=utf-8').send(page.html);
}

/** What the supplier typed, to fill the form again after a refusal (strings only). */
function formValues(body: Record<string, unknown>): ReplyFormValues {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string' && key !== 'csrf') values[key] = value;
  }
  return values as ReplyFormValues;
}
