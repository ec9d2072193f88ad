import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AuthenticatedUser } from '@snitflow/auth';
import type { BusinessCalendar } from '@snitflow/calendar';
import { ManualClock } from '@snitflow/common';
import { reminderJobId } from '@snitflow/deadlines';
import { JobName, JobQueues } from '@snitflow/jobs';
import { DeadlinePlanner } from '@snitflow/orders';
import { DataSource } from 'typeorm';
import { FirmnessEnum } from '../graphql/enums.js';
import { SupplierResponseKindEnum } from '../orders/order.inputs.js';
import { PlanBKindEnum, TestModeEnum, TestOutcomeEnum, TestResponsibleEnum } from '../orders/order.models.js';
import { OrdersService } from '../orders/orders.service.js';
import { ReviewDecisionEnum } from '../requests/request.models.js';
import { RequestsService } from '../requests/requests.service.js';
import { demoProgrammeModule } from './demo.module.js';

/** Business days of history behind "now": six weeks, so a four-week report has a before and a since. */
export const DEMO_HISTORY_BUSINESS_DAYS = 30;

export interface DemoProgrammeResult {
  loaded: boolean;
  requests: number;
  orders: number;
}

type ProjectCode = 'KY' | 'KSD' | 'BARSEL' | 'OKO';

/** Every text the demo writes starts with this, so nobody mistakes it for real data. */
const DEMO = 'DEMO –';

/**
 * Loads the deck's programme into a database that has the demo catalogue and no orders yet: 32
 * requests from the four (assumed) projects, consolidated into the 18 interfaces' orders, in
 * every state the deck talks about, with six weeks of history behind `now`.
 *
 * Nothing is written by hand: the real RequestsService and OrdersService are driven as the
 * coordinators and projects would over GraphQL, on a clock set to each step's past instant, so
 * every row, history event, deadline, reminder and outbox email is what the machine wrote. Every
 * text says DEMO. Does nothing when any request or order exists.
 *
 * The story (business day 0 = six weeks ago):
 * - SF1320 CPR events: Barselsdagpenge asks for CPR.INDKOMST, which CPR does not hold (the deck's
 *   quality-review example); sent back, changed, approved; agreed; test being planned.
 * - SF0800 Feriekonto: Barsel changes its request after consolidation (the deck's Feriekonto
 *   example), reviewed again and consolidated again; ATP proposes terms.
 * - SF0802, SF0770 waiting on ATP and SKAT past their deadlines; SF1490 waiting, not yet due.
 * - SF0462 declined by SKAT, in plan B via eIndkomst (the deck's plan B); SF0780 declined, to decide.
 * - SF0741 on hold: who must do what at ASK/AES is unclear (the deck's AMS example).
 * - SF0790 a supplier question; SF1180 (KSD tentative, the deck's "?") under review; SF0740
 *   consolidated; SF0810 consolidated but Sygehuse has no contact to send to (overdue).
 * - SF1390 agreed with nobody named to test; SF1460 shared test planned, overlapping SF1320's
 *   window for KY; SF1290 test running; SF1280 passed; SF0830 live; SF1300 cancelled.
 */
export async function loadDemoProgramme(options: { now?: Date } = {}): Promise<DemoProgrammeResult> {
  const now = options.now ?? new Date();
  const clock = new ManualClock(now);
  const app = await NestFactory.createApplicationContext(demoProgrammeModule(clock), {
    logger: false,
  });
  try {
    const dataSource = app.get(DataSource);
    return await dataSource.transaction(async (tx) => {
      // Serialise concurrent starters; the demo's own writes run in their own transactions.
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('snitflow:seed-demo-programme'))");
      const existing: { count: number }[] = await tx.query(
        'SELECT (SELECT count(*) FROM interface_order) + (SELECT count(*) FROM interface_request) AS count',
      );
      if (Number(existing[0]?.count ?? 0) > 0) return { loaded: false, requests: 0, orders: 0 };
      const projects: { id: string; code: ProjectCode }[] = await dataSource.query(
        'SELECT id, code FROM project',
      );
      if (projects.length === 0) return { loaded: false, requests: 0, orders: 0 };
      const story = new DemoStory(
        app.get(RequestsService),
        app.get(OrdersService),
        app.get(DeadlinePlanner).calendar,
        clock,
        now,
        new Map(projects.map((project) => [project.code, project.id])),
        dataSource,
      );
      await story.tell();
      await requeueOnTheRealClock(app, dataSource);
      return { loaded: true, requests: story.requests, orders: story.orderIds.size };
    });
  } finally {
    await app.close();
  }
}

/**
 * The reminders' wake-ups were queued with delays counted from the story's past instants, so
 * they would fire days late. Dropped here, the worker's reconciler rebuilds every pending one
 * from Postgres at start, counted from the real clock: what is overdue is reminded and
 * escalated at once, as it would have been.
 */
async function requeueOnTheRealClock(app: INestApplicationContext, dataSource: DataSource): Promise<void> {
  const pending: { orderId: string; scheduleVersion: number; step: number }[] = await dataSource.query(
    `SELECT order_id AS "orderId", schedule_version AS "scheduleVersion", step
       FROM order_reminder WHERE status = 'PENDING'`,
  );
  await app.get(JobQueues).remove(
    JobName.OrderReminder,
    pending.map((reminder) => reminderJobId(reminder.orderId, reminder.scheduleVersion, reminder.step)),
  );
}

class DemoStory {
  requests = 0;
  readonly orderIds = new Map<string, string>();
  private readonly days: string[] = [];
  private step = 0;
  private readonly coordinator: AuthenticatedUser = {
    subject: 'demo-coordinator@kombit.example',
    role: 'coordinator',
    projectId: null,
    name: `${DEMO} Karin Koordinator`,
  };

  constructor(
    private readonly requestsService: RequestsService,
    private readonly orders: OrdersService,
    private readonly calendar: BusinessCalendar,
    private readonly clock: ManualClock,
    private readonly now: Date,
    private readonly projects: Map<ProjectCode, string>,
    private readonly dataSource: DataSource,
  ) {
    let day = calendar.localDate(now);
    if (!calendar.isBusinessDay(day)) day = calendar.previousBusinessDay(day);
    const days = [day];
    for (let i = 0; i < DEMO_HISTORY_BUSINESS_DAYS; i++) {
      day = calendar.previousBusinessDay(day);
      days.unshift(day);
    }
    this.days = days;
  }

  /** The local date `n` business days after day 0, or (negative) before today's end. */
  private date(n: number): string {
    return this.days[n] ?? this.days.at(-1) ?? '';
  }

  /** A calendar date `days` after today, for need-by dates and test windows. */
  private ahead(days: number): string {
    return new Date(this.now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  }

  /** Sets the clock to business day `n`, 09:00 Copenhagen plus a minute per step (never past now). */
  private at(n: number): void {
    const date = this.date(n);
    const officeStart = this.calendar.nextOfficeHoursInstant(
      this.calendar.endOfBusinessDay(this.calendar.previousBusinessDay(date)),
    );
    this.step += 1;
    const instant = new Date(officeStart.getTime() + 3_600_000 + this.step * 60_000);
    this.clock.set(instant.getTime() < this.now.getTime() ? instant : new Date(this.now.getTime() - 60_000));
  }

  private project(code: ProjectCode): AuthenticatedUser {
    return {
      subject: `demo-${code.toLowerCase()}@project.example`,
      role: 'project',
      projectId: this.projects.get(code) ?? null,
      name: `${DEMO} ${code}`,
    };
  }

  private async request(
    key: string,
    code: ProjectCode,
    dataElements: string[],
    options: { needBy?: string; tentative?: boolean; why?: string } = {},
  ) {
    this.requests += 1;
    const created = await this.requestsService.submit(this.project(code), {
      interfaceKey: key,
      dataElements,
      needBy: options.needBy ?? this.ahead(150),
      firmness: options.tentative ? FirmnessEnum.TENTATIVE : FirmnessEnum.FIRM,
      justification: `${DEMO} ${options.why ?? 'Needed for case handling'}`,
      tenderReference: `${DEMO} Udbudsmateriale bilag 3`,
    });
    this.orderIds.set(key, created.orderId);
    return created;
  }

  private approve(requestId: string) {
    return this.requestsService.review(this.coordinator, { requestId, decision: ReviewDecisionEnum.APPROVE });
  }

  /** Requests from the projects, each approved, then consolidated. */
  private async ordered(key: string, requests: [ProjectCode, string[]][], needBy?: string) {
    for (const [code, elements] of requests) {
      const request = await this.request(key, code, elements, { needBy });
      await this.approve(request.id);
    }
    return this.order(key);
  }

  private order(key: string): string {
    const id = this.orderIds.get(key);
    if (!id) throw new Error(`demo: no order for ${key}`);
    return id;
  }

  private consolidate(key: string) {
    return this.orders.consolidate(this.coordinator, { orderId: this.order(key) });
  }

  private send(key: string) {
    return this.orders.sendToSupplier(this.coordinator, { orderId: this.order(key) }, undefined);
  }

  private supplier(
    key: string,
    input: { kind: SupplierResponseKindEnum; reason?: string; question?: string; priceOere?: string },
  ) {
    return this.orders.recordSupplierResponse(
      this.coordinator,
      { orderId: this.order(key) },
      {
        kind: input.kind,
        reason: input.reason ? `${DEMO} ${input.reason}` : undefined,
        question: input.question ? `${DEMO} ${input.question}` : undefined,
        terms: input.priceOere ? { priceOere: input.priceOere, deliveryDate: this.ahead(60) } : undefined,
      },
    );
  }

  private planTest(
    key: string,
    mode: TestModeEnum,
    codes: ProjectCode[],
    windowStart: string,
    windowEnd: string,
  ) {
    return this.orders.planTest(
      this.coordinator,
      { orderId: this.order(key) },
      {
        responsible: TestResponsibleEnum.KOMBIT,
        mode,
        participantProjectIds: codes.map((code) => this.projects.get(code) ?? ''),
        windowStart,
        windowEnd,
      },
    );
  }

  async tell(): Promise<void> {
    const { ACCEPT, PROPOSE, ASK, DECLINE } = SupplierResponseKindEnum;

    // ── weeks 1–2: the requests arrive; quality review; the first orders go out ──
    this.at(0);
    const kyCpr = await this.request('SF1320', 'KY', ['CPR.PERSONNUMMER', 'CPR.ADRESSE'], {
      needBy: this.ahead(25),
    });
    const ksdCpr = await this.request('SF1320', 'KSD', ['CPR.PERSONNUMMER', 'CPR.ADRESSE']);
    // The deck's example: Barselsdagpenge asks for personal data CPR does not hold.
    const barselCpr = await this.request('SF1320', 'BARSEL', ['CPR.PERSONNUMMER', 'CPR.INDKOMST']);
    await this.ordered('SF0830', [['KY', ['SSR.PERSONNUMMER', 'SSR.YDELSESKODE']]]);
    await this.ordered('SF1280', [['OKO', ['KLE.EMNENUMMER', 'KLE.TITEL']]]);
    this.at(1);
    await this.approve(kyCpr.id);
    await this.approve(ksdCpr.id);
    await this.requestsService.review(this.coordinator, {
      requestId: barselCpr.id,
      decision: ReviewDecisionEnum.REQUEST_CHANGES,
      comment: `${DEMO} CPR indeholder ikke indkomstoplysninger: brug SKATs indkomstsnitflader (SF0770) i stedet.`,
    });
    await this.consolidate('SF0830');
    await this.send('SF0830');
    await this.consolidate('SF1280');
    await this.send('SF1280');
    await this.ordered('SF1290', [['OKO', ['FORM.OPGAVENUMMER', 'FORM.OPGAVETITEL']]]);
    await this.ordered('SF1300', [['OKO', ['IM.KONTONUMMER']]]);
    this.at(2);
    await this.requestsService.update(this.project('BARSEL'), {
      requestId: barselCpr.id,
      dataElements: ['CPR.PERSONNUMMER', 'CPR.NAVN'],
      justification: `${DEMO} Indkomst hentes fra SKAT; fra CPR kun navn`,
    });
    await this.approve(barselCpr.id);
    await this.consolidate('SF1320');
    await this.send('SF1320');
    await this.consolidate('SF1290');
    await this.send('SF1290');
    await this.ordered('SF0800', [
      ['KSD', ['ATP.FERIEKONTO_SALDO']],
      ['BARSEL', ['ATP.FERIEKONTO_SALDO', 'ATP.FERIEAAR']],
    ]);
    await this.consolidate('SF0800');
    await this.ordered('SF0802', [
      ['KSD', ['ATP.FERIEKONTO_SALDO']],
      ['BARSEL', ['ATP.FERIEKONTO_SALDO']],
    ]);
    await this.consolidate('SF0802');
    this.at(3);
    await this.send('SF0802');
    await this.supplier('SF0830', { kind: ACCEPT });
    await this.ordered('SF0462', [
      ['KY', ['SKAT.INDKOMSTHAENDELSE', 'SKAT.PERSONNUMMER']],
      ['KSD', ['SKAT.INDKOMSTHAENDELSE', 'SKAT.PERSONNUMMER', 'SKAT.AINDKOMST']],
    ]);
    await this.consolidate('SF0462');
    await this.send('SF0462');
    this.at(4);
    // The deck's Feriekonto: Barsel's need changes after consolidation, so it is reviewed again.
    const barselFerie = await this.requestOf('SF0800', 'BARSEL');
    await this.requestsService.update(this.project('BARSEL'), {
      requestId: barselFerie,
      dataElements: ['ATP.FERIEKONTO_SALDO', 'ATP.FERIEAAR', 'ATP.OPTJENTE_FERIEDAGE'],
      justification: `${DEMO} Feriekonto: optjente feriedage skal med`,
    });
    await this.supplier('SF1280', { kind: ACCEPT });
    await this.supplier('SF1320', { kind: PROPOSE, priceOere: '4500000' });
    this.at(5);
    await this.approve(barselFerie);
    await this.consolidate('SF0800');
    await this.send('SF0800');
    await this.orders.acceptProposal(this.coordinator, { orderId: this.order('SF1320') });
    await this.ordered('SF0770', [
      ['KSD', ['SKAT.AINDKOMST', 'SKAT.BINDKOMST']],
      ['BARSEL', ['SKAT.AINDKOMST']],
    ]);
    await this.consolidate('SF0770');
    await this.send('SF0770');
    await this.supplier('SF1290', { kind: ACCEPT });

    // ── weeks 2–3: the dialogue with the suppliers ──
    this.at(7);
    await this.planTest('SF0830', TestModeEnum.SHARED, ['KY'], this.date(9), this.date(13));
    await this.ordered('SF0741', [['KY', ['ASK.SAGSNUMMER', 'ASK.AFGOERELSE']]]);
    await this.consolidate('SF0741');
    await this.send('SF0741');
    this.at(8);
    await this.planTest('SF1280', TestModeEnum.SHARED, ['OKO'], this.date(10), this.date(20));
    await this.ordered('SF1390', [['KY', ['BBR.BFE_NUMMER', 'BBR.ADRESSE']]]);
    await this.consolidate('SF1390');
    await this.send('SF1390');
    await this.planTest('SF1290', TestModeEnum.SHARED, ['OKO'], this.date(25), this.ahead(20));
    this.at(9);
    await this.orders.startTest(this.coordinator, { orderId: this.order('SF0830') });
    this.at(10);
    await this.orders.startTest(this.coordinator, { orderId: this.order('SF1280') });
    // The deck's AMS example: who must do what is unclear, so the order waits.
    await this.orders.putOnHold(this.coordinator, {
      orderId: this.order('SF0741'),
      reason: `${DEMO} Uklart hvem der skal gøre hvad: AES (tidl. ASK/AMS) eller kommunernes systemleverandør`,
    });
    await this.supplier('SF1390', { kind: ACCEPT });
    this.at(11);
    await this.supplier('SF0462', { kind: DECLINE, reason: 'Indkomsthændelser udleveres kun via eIndkomst' });
    this.at(12);
    // The deck's plan B: eIndkomst.
    await this.orders.startPlanB(
      this.coordinator,
      { orderId: this.order('SF0462') },
      { kind: PlanBKindEnum.OTHER_SOURCE, description: `${DEMO} Indkomsthændelser hentes via eIndkomst` },
    );
    await this.orders.recordTestResult(
      this.coordinator,
      { orderId: this.order('SF0830') },
      {
        projectId: this.projects.get('KY'),
        outcome: TestOutcomeEnum.PASSED,
        notes: `${DEMO} Alle udtræk modtaget`,
      },
    );
    await this.orders.completeTest(this.coordinator, { orderId: this.order('SF0830') });

    // ── weeks 4–6: since last time ──
    this.at(14);
    await this.supplier('SF0800', { kind: PROPOSE, priceOere: '12500000' });
    await this.orders.goLive(
      this.coordinator,
      { orderId: this.order('SF0830') },
      { liveDate: this.date(14) },
    );
    this.at(15);
    await this.ordered('SF1460', [
      ['KY', ['STS.BESKED_ID', 'STS.BESKEDTYPE']],
      ['KSD', ['STS.BESKED_ID', 'STS.BESKEDTYPE']],
      ['BARSEL', ['STS.BESKED_ID', 'STS.BESKEDTYPE']],
      ['OKO', ['STS.BESKED_ID', 'STS.BESKEDTYPE', 'STS.OBJEKTREFERENCE']],
    ]);
    await this.consolidate('SF1460');
    await this.send('SF1460');
    await this.orders.recordTestResult(
      this.coordinator,
      { orderId: this.order('SF1280') },
      { projectId: this.projects.get('OKO'), outcome: TestOutcomeEnum.PASSED },
    );
    await this.orders.completeTest(this.coordinator, { orderId: this.order('SF1280') });
    this.at(17);
    await this.supplier('SF1460', { kind: ACCEPT });
    await this.ordered('SF0740', [['KY', ['ASK.SAGSNUMMER', 'ASK.SAGSHAENDELSE']]]);
    this.at(18);
    await this.consolidate('SF0740');
    await this.ordered('SF0810', [['KY', ['SYGEHUS.PERSONNUMMER', 'SYGEHUS.INDLAEGGELSESDATO']]]);
    await this.ordered('SF0790', [
      ['KY', ['SKAT.INDKOMSTAAR', 'SKAT.FORVENTET_INDKOMST']],
      ['KSD', ['SKAT.FORVENTET_INDKOMST']],
    ]);
    this.at(20);
    // Sygehuse has no contact to send to: it waits with the coordinators.
    await this.consolidate('SF0810');
    await this.consolidate('SF0790');
    await this.send('SF0790');
    await this.ordered('SF0780', [['BARSEL', ['SKAT.INDKOMSTAAR', 'SKAT.PERSONLIG_INDKOMST']]]);
    this.at(22);
    await this.consolidate('SF0780');
    await this.send('SF0780');
    await this.orders.cancel(this.coordinator, {
      orderId: this.order('SF1300'),
      reason: `${DEMO} Kontoplanen dækkes af FORM (SF1290)`,
    });
    await this.ordered('SF1490', [
      ['KY', ['STS.PERSONNUMMER', 'STS.YDELSESTYPE']],
      ['KSD', ['STS.PERSONNUMMER', 'STS.YDELSESTYPE']],
      ['BARSEL', ['STS.PERSONNUMMER', 'STS.YDELSESTYPE']],
      ['OKO', ['STS.PERSONNUMMER']],
    ]);
    this.at(24);
    await this.supplier('SF0790', {
      kind: ASK,
      question: 'Skal forskudsopgørelsen leveres for alle indkomstår?',
    });
    // Tests being planned: one per project for CPR, one shared for the message distributor;
    // both with KY, in overlapping windows.
    await this.planTest(
      'SF1320',
      TestModeEnum.PER_PROJECT,
      ['KY', 'KSD', 'BARSEL'],
      this.ahead(14),
      this.ahead(35),
    );
    await this.planTest(
      'SF1460',
      TestModeEnum.SHARED,
      ['KY', 'KSD', 'BARSEL', 'OKO'],
      this.ahead(28),
      this.ahead(49),
    );
    this.at(26);
    await this.orders.startTest(this.coordinator, { orderId: this.order('SF1290') });
    await this.consolidate('SF1490');
    await this.send('SF1490');
    this.at(27);
    await this.supplier('SF0780', { kind: DECLINE, reason: 'Årsopgørelsen udleveres først efter 1. marts' });
    this.at(28);
    // The deck's "?": KSD is not yet sure it needs SF1180.
    const kyRefund = await this.request('SF1180', 'KY', ['SKAT.OVERSKYDENDE_SKAT']);
    await this.request('SF1180', 'KSD', ['SKAT.OVERSKYDENDE_SKAT'], { tentative: true });
    await this.approve(kyRefund.id);
  }

  private async requestOf(key: string, code: ProjectCode): Promise<string> {
    const rows: { id: string }[] = await this.dataSource.query(
      'SELECT id FROM interface_request WHERE order_id = $1 AND project_id = $2',
      [this.order(key), this.projects.get(code)],
    );
    const id = rows[0]?.id;
    if (!id) throw new Error(`demo: no request of ${code} for ${key}`);
    return id;
  }
}
