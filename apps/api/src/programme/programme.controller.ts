import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { InvalidTokenError, verifyToken } from '@snitflow/auth';
import { SnitflowError } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { isLanguage, type Language } from '@snitflow/mail';
import { renderPage } from '@snitflow/pages';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/current-user.js';
import { playbookCsv, playbookXlsx } from './playbook-export.js';
import { ProgrammeService } from './programme.service.js';
import { reportPageData } from './report-page.js';

/** The queue dashboard's sign-in cookie (scoped to /admin): a coordinator signed in there may open these too. */
const DASHBOARD_COOKIE = 'snitflow_dashboard';

function tokenFrom(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  if (bearer) return bearer;
  const match = new RegExp(`(?:^|;\\s*)${DASHBOARD_COOKIE}=([^;]+)`).exec(request.headers.cookie ?? '');
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/**
 * The programme's documents for the steering group, coordinators and admins only: the printable
 * status report (HTML, Danish or English) and the playbook as CSV and XLSX. Authorised with
 * `Authorization: Bearer <token>` or the queue dashboard's sign-in (/admin/login). No token or a
 * bad one: 401; a project token: 403 (the whole programme is not a project's to see); a bad date:
 * 400. Nothing here changes anything.
 */
@Controller('admin/programme')
export class ProgrammeController {
  constructor(
    private readonly programme: ProgrammeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Null when the caller may proceed; otherwise the reply has been sent. */
  private async refused(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const token = tokenFrom(request);
    const send = (code: number, text: string) => {
      reply.code(code).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(text);
      return true;
    };
    if (!token)
      return send(
        401,
        `Send a coordinator token (Authorization: Bearer …) or sign in at ${this.config.PUBLIC_BASE_PATH}/admin/login`,
      );
    try {
      const user = await verifyToken(this.config.JWT_SECRET, token);
      if (user.role !== 'coordinator' && user.role !== 'admin')
        return send(403, 'The programme report is for coordinators and admins');
    } catch (error) {
      if (error instanceof InvalidTokenError) return send(401, `The token ${error.message}`);
      throw error;
    }
    return false;
  }

  @Public()
  @Get('report')
  async report(
    @Query('since') since: string | undefined,
    @Query('until') until: string | undefined,
    @Query('lang') lang: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    if (await this.refused(request, reply)) return;
    const language: Language = isLanguage(lang) ? lang : 'da';
    const dates = this.dates(since, until, reply);
    if (!dates) return;
    let report: Awaited<ReturnType<ProgrammeService['report']>>;
    try {
      report = await this.programme.report(dates.since, dates.until);
    } catch (error) {
      if (error instanceof SnitflowError) return this.badRequest(reply, error.message);
      throw error;
    }
    const playbook = await this.programme.playbook();
    const page = renderPage(
      'programme-report',
      language,
      reportPageData(report, playbook, language, `${this.config.PUBLIC_BASE_PATH}/admin/programme`),
    );
    return reply.code(200).headers(page.headers).type('text/html; charset=utf-8').send(page.html);
  }

  @Public()
  @Get('matrix.csv')
  async matrixCsv(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (await this.refused(request, reply)) return;
    const csv = playbookCsv(await this.programme.playbook());
    return reply
      .code(200)
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="snitflow-playbook.csv"')
      .header('cache-control', 'no-store')
      .send(csv);
  }

  @Public()
  @Get('matrix.xlsx')
  async matrixXlsx(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (await this.refused(request, reply)) return;
    const body = await playbookXlsx(await this.programme.playbook(), new Date());
    return reply
      .code(200)
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', 'attachment; filename="snitflow-playbook.xlsx"')
      .header('cache-control', 'no-store')
      .send(body);
  }

  private dates(since: string | undefined, until: string | undefined, reply: FastifyReply) {
    const valid = (value: string | undefined) =>
      value === undefined || value === '' || /^\d{4}-\d{2}-\d{2}$/.test(value);
    if (!valid(since) || !valid(until)) {
      this.badRequest(reply, 'since and until are dates written YYYY-MM-DD');
      return null;
    }
    return { since: since || null, until: until || null };
  }

  private badRequest(reply: FastifyReply, message: string) {
    return reply.code(400).type('text/plain; charset=utf-8').send(message);
  }
}
