import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InvalidTokenError, verifyToken } from '@snitflow/auth';
import { SnitflowError } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import type { Language } from '@snitflow/mail';
import { type RenderedPage, renderPage } from '@snitflow/pages';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/current-user.js';
import { tokenFrom } from '../queue-dashboard/queue-dashboard.js';
import { SettlementService } from './settlement.service.js';
import { statementData } from './statement.view.js';

type Problem = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT';
const PROBLEM_STATUS: Record<Problem, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
};

/**
 * A municipality's printable settlement statement for one quarter, Danish
 * (default) or English (`?lang=en`): GET /admin/settlement/<year>/<quarter>/<municipality code>.
 * Coordinators and admins, by a bearer token or the token kept by the
 * dashboard's sign-in at /admin/login (the cookie is scoped to /admin, hence
 * the path). Every refusal is a page too (401, 403, 404, 400), never JSON.
 * Reading changes nothing.
 */
@Controller('admin/settlement')
export class StatementController {
  constructor(
    private readonly settlements: SettlementService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // Public to the global guard (whose refusals are JSON): the page checks the token itself.
  @Public()
  @Get(':year/:quarter/:municipality')
  async statement(
    @Param('year') year: string,
    @Param('quarter') quarter: string,
    @Param('municipality') code: string,
    @Query('lang') lang: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const language: Language = lang === 'en' ? 'en' : 'da';
    const request = reply.request as FastifyRequest;
    const token = tokenFrom(request);
    if (!token) return this.problem(reply, 'UNAUTHENTICATED', language);
    try {
      const user = await verifyToken(this.config.JWT_SECRET, token);
      if (user.role !== 'coordinator' && user.role !== 'admin')
        return this.problem(reply, 'FORBIDDEN', language);
    } catch (error) {
      if (error instanceof InvalidTokenError) return this.problem(reply, 'UNAUTHENTICATED', language);
      throw error;
    }
    if (!/^\d{4}$/.test(year) || !/^[1-4]$/.test(quarter))
      return this.problem(reply, 'BAD_USER_INPUT', language);
    if (!/^\d{3}$/.test(code)) return this.problem(reply, 'NOT_FOUND', language);

    let settlement: Awaited<ReturnType<SettlementService['settlement']>>;
    try {
      settlement = await this.settlements.settlement(Number(year), Number(quarter));
    } catch (error) {
      if (error instanceof SnitflowError) return this.problem(reply, 'BAD_USER_INPUT', language);
      throw error;
    }
    const municipality: { code: string; name: string }[] = await this.dataSource.query(
      'SELECT code, name FROM municipality WHERE code = $1',
      [code],
    );
    const areas = await this.settlements.dataAreas();
    const found = municipality[0];
    const data = found
      ? statementData(settlement, found, new Map(areas.map((area) => [area.code, area])), language)
      : null;
    if (!data) return this.problem(reply, 'NOT_FOUND', language);
    return send(reply, 200, renderPage('statement', language, data));
  }

  private problem(reply: FastifyReply, kind: Problem, language: Language) {
    return send(reply, PROBLEM_STATUS[kind], renderPage('statement/problem', language, { kind }));
  }
}

function send(reply: FastifyReply, code: number, page: RenderedPage) {
  return reply.code(code).headers(page.headers).type('text/html; charset=utf-8').send(page.html);
}
