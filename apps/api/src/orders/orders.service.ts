import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuthenticatedUser } from '@snitflow/auth';
import { consolidateRequests, parseInterfaceKey } from '@snitflow/catalogue';
import {
  assertIsoDate,
  assertUuid,
  badInput,
  CLOCK,
  type Clock,
  ErrorCode,
  notFound,
  SnitflowError,
} from '@snitflow/common';
import { OrderEventEntity } from '@snitflow/database';
import { businessDaysOverdue, isOverdue, notADeadlineDay } from '@snitflow/deadlines';
import {
  allowedEventTypes,
  defaultSupplierOf,
  type OrderCategory,
  type OrderEventPayload,
  type OrderEventType,
  type OrderFacts,
  type OrderSnapshot,
  outstandingScopeResponses,
  responsibleParties,
  specificationChange,
} from '@snitflow/lifecycle';
import {
  DeadlinePlanner,
  ORDER_COLUMNS,
  type OrderRow,
  OrderTransitionService,
  SupplierMessages,
  type TransitionCommand,
} from '@snitflow/orders';
import { DataSource, type EntityManager } from 'typeorm';
import { cursorInstant, decodeCursor, encodeCursor } from '../graphql/pagination.js';
import { actorOf } from '../requests/requests.service.js';
import type {
  AnswerSupplierInput,
  ConsolidateArgs,
  CounterProposalInput,
  ExtendDeadlineArgs,
  GoLiveInput,
  OrderFilter,
  OrderTarget,
  OverdueFilter,
  PlanTestInput,
  ReasonedOrderTarget,
  RecordTestResultInput,
  RequestFixInput,
  RespondToScopeReductionInput,
  SendAmendmentInput,
  SendToSupplierInput,
  StartPlanBInput,
  SupplierResponseInput,
  TermsInput,
  TurnDownAmendmentInput,
} from './order.inputs.js';
import type {
  InterfaceOrderModel,
  OrderConnection,
  OrderEventModel,
  ScopeResponseKindEnum,
} from './order.models.js';

const DEFAULT_PAGE_SIZE = 20;

type Terms = { priceOere: string | null; deliveryDate: string | null; conditions: string | null };

/**
 * Whether an event is about another project's request or result (a review with its comment, a
 * change to its request, its test result, its answer to a scope reduction): a project sees
 * only what concerns its own requests. Judged by the ids the payload names.
 */
function concernsAnotherProject(
  payload: unknown,
  own: { projectId: string; requestIds: ReadonlySet<string> },
): boolean {
  if (payload === null || typeof payload !== 'object') return false;
  const { requestId, projectId } = payload as { requestId?: unknown; projectId?: unknown };
  if (typeof requestId === 'string' && !own.requestIds.has(requestId)) return true;
  return typeof projectId === 'string' && projectId !== own.projectId;
}

/**
 * Reads orders for the API and turns mutations into machine events. The
 * decisions (may this happen now, who may do it) are the machine's; the
 * writing is OrderTransitionService's.
 */
@Injectable()
export class OrdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: OrderTransitionService,
    private readonly deadlines: DeadlinePlanner,
    readonly _supplierMessages: SupplierMessages,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ── reads ────────────────────────────────────────────────────────────────

  async findVisible(user: AuthenticatedUser, orderId: string): Promise<InterfaceOrderModel> {
    const id = assertUuid(orderId, 'orderId');
    const rows: OrderRow[] = await this.dataSource.query(
      `SELECT ${ORDER_COLUMNS} FROM interface_order o WHERE o.id = $1 ${this.visibility(user, '$2')}`,
      user.role === 'project' ? [id, user.projectId] : [id],
    );
    const row = rows[0];
    if (!row) throw notFound('Order', orderId);
    return this.toModel(row);
  }

  /** Like findVisible, but null when the order is gone or not the user's to see (live updates). */
  async findVisibleOrNull(user: AuthenticatedUser, orderId: string): Promise<InterfaceOrderModel | null> {
    try {
      return await this.findVisible(user, orderId);
    } catch (error) {
      if (error instanceof SnitflowError && error.code === ErrorCode.NOT_FOUND) return null;
      throw error;
    }
  }

  async list(
    user: AuthenticatedUser,
    filter: OrderFilter | undefined,
    first: number | undefined,
    after: string | undefined,
  ): Promise<OrderConnection> {
    const pageSize = first ?? DEFAULT_PAGE_SIZE;
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const bind = (value: unknown): string => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    if (user.role === 'project')
      conditions.push(this.visibility(user, bind(user.projectId)).replace(/^AND /, ''));
    if (filter?.state) {
      conditions.push(`(o.state = ${bind(filter.state)} OR o.state LIKE ${bind(`${filter.state}.%`)})`);
    }
    if (filter?.interfaceKey) {
      const key = parseInterfaceKey(filter.interfaceKey);
      conditions.push(`o.interface_id = (SELECT id FROM interface WHERE key = ${bind(key)})`);
    }
    if (filter?.supplierId) conditions.push(`o.supplier_id = ${bind(filter.supplierId)}`);
    if (filter?.projectId && user.role === 'project' && filter.projectId.toLowerCase() !== user.projectId) {
      // Which orders another project requested is not a project user's business: nothing, as
      // for an unknown project.
      conditions.push('false');
    } else if (filter?.projectId) {
      conditions.push(
        `EXISTS (SELECT 1 FROM interface_request r WHERE r.order_id = o.id AND r.project_id = ${bind(filter.projectId)})`,
      );
    }
    if (filter?.category) conditions.push(`o.category = ${bind(filter.category)}`);
    if (filter?.ballInCourt) conditions.push(`o.ball_in_court = ${bind(filter.ballInCourt)}`);
    if (filter?.open != null) conditions.push(`o.is_open = ${bind(filter.open)}`);
    if (after) {
      const [createdAt, id] = decodeCursor(after, ['timestamp', 'uuid']);
      conditions.push(`(o.created_at, o.id) < (${bind(createdAt)}::timestamptz, ${bind(id)}::uuid)`);
    }
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows: (OrderRow & { createdAtKey: string })[] = await this.dataSource.query(
      `SELECT ${ORDER_COLUMNS}, ${cursorInstant('o.created_at')} AS "createdAtKey"
         FROM interface_order o ${where}
        ORDER BY o.created_at DESC, o.id DESC LIMIT ${bind(pageSize + 1)}`,
      parameters,
    );
    const page = rows.slice(0, pageSize);
    const edges = page.map(({ createdAtKey, ...row }) => ({
      cursor: encodeCursor([createdAtKey, row.id]),
      node: this.toModel(row),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > pageSize, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  /**
   * Orders past the deadline of their state: escalated first, then the most
   * overdue; one indexed query (interface_order_overdue), keyset-paged.
   */
  async overdueQueue(
    user: AuthenticatedUser,
    filter: OverdueFilter | undefined,
    first: number | undefined,
    after: string | undefined,
  ): Promise<OrderConnection> {
    const pageSize = first ?? DEFAULT_PAGE_SIZE;
    const parameters: unknown[] = [];
    const bind = (value: unknown): string => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    const conditions = ['o.is_open', 'o.due_at IS NOT NULL', `o.due_at < ${bind(this.clock.now())}`];
    if (user.role === 'project')
      conditions.push(this.visibility(user, bind(user.projectId)).replace(/^AND /, ''));
    if (filter?.supplierId) conditions.push(`o.supplier_id = ${bind(filter.supplierId)}`);
    if (filter?.ballInCourt) conditions.push(`o.ball_in_court = ${bind(filter.ballInCourt)}`);
    if (filter?.state)
      conditions.push(`(o.state = ${bind(filter.state)} OR o.state LIKE ${bind(`${filter.state}.%`)})`);
    if (filter?.escalated != null)
      conditions.push(filter.escalated ? 'o.escalation_level > 0' : 'o.escalation_level = 0');
    if (after) {
      const [level, dueAt, id] = decodeCursor(after, ['count', 'timestampOrEmpty', 'uuid']);
      const l = bind(Number(level));
      conditions.push(
        `(o.escalation_level < ${l} OR (o.escalation_level = ${l} AND (o.due_at, o.id) > (${bind(dueAt)}::timestamptz, ${bind(id)}::uuid)))`,
      );
    }
    const rows: (OrderRow & { dueAtKey: string | null })[] = await this.dataSource.query(
      `SELECT ${ORDER_COLUMNS}, ${cursorInstant('o.due_at')} AS "dueAtKey"
         FROM interface_order o WHERE ${conditions.join(' AND ')}
        ORDER BY o.escalation_level DESC, o.due_at ASC, o.id ASC LIMIT ${bind(pageSize + 1)}`,
      parameters,
    );
    const page = rows.slice(0, pageSize);
    const edges = page.map(({ dueAtKey, ...row }) => ({
      cursor: encodeCursor([String(row.escalationLevel), dueAtKey ?? '', row.id]),
      node: this.toModel(row),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > pageSize, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  extendDeadline(user: AuthenticatedUser, args: ExtendDeadlineArgs) {
    const dueDate = this.deadlineDateAhead(args.dueDate, 'dueDate');
    const dueAt = this.deadlines.calendar.endOfBusinessDay(dueDate);
    if (dueAt.getTime() <= this.clock.now().getTime()) {
      throw badInput(`The new deadline ${dueDate} has already passed`, { field: 'dueDate' });
    }
    return this.move(user, args, {
      type: 'EXTEND_DEADLINE',
      dueAt: dueAt.toISOString(),
      reason: args.reason,
    });
  }

  /** The history as the API shows it, from the events (loaded in a batch by the caller). */
  historyModel(
    events: readonly OrderEventEntity[],
    own: { projectId: string; requestIds: ReadonlySet<string> } | null = null,
  ): OrderEventModel[] {
    return events.map((event) => {
      const redacted = own !== null && concernsAnotherProject(event.payload, own);
      return {
        version: event.version,
        type: event.type,
        actorId: redacted ? '' : event.actorId,
        actorRole: event.actorRole,
        actorName: redacted ? null : event.actorName,
        fromState: event.fromState,
        toState: event.toState,
        payload: redacted ? '{}' : JSON.stringify(event.payload),
        redacted,
        occurredAt: event.occurredAt,
      };
    });
  }

  /**
   * Event types the caller may send now, judged by the machine on current facts (read in a
   * batch for a whole page by `facts`). A send without a named supplier goes to
   * defaultSupplierOf, so that is whose contacts count.
   */
  async allowedEvents(
    user: AuthenticatedUser,
    order: InterfaceOrderModel,
    facts: (key: { orderId: string; sendTarget: string }) => Promise<OrderFacts>,
  ): Promise<OrderEventType[]> {
    const snapshot = this.snapshotOf(order);
    const current = await facts({ orderId: order.id, sendTarget: defaultSupplierOf(snapshot.context) });
    return allowedEventTypes(snapshot, actorOf(user), current);
  }

  /**
   * A date given as a deadline (replyBy, dueDate): an ISO date on a business day. The deadline is
   * that day's office close, so a weekend, public holiday or closing day is refused with
   * BAD_USER_INPUT naming the business days before and after it (`businessDayBefore`,
   * `businessDayAfter`), never moved silently. The one rule: notADeadlineDay (libs/deadlines).
   */
  private deadlineDate(value: string, field: string): string {
    const date = assertIsoDate(value, field);
    const refused = notADeadlineDay(this.deadlines.calendar, date);
    if (refused) {
      throw badInput(
        `${field} ${date} is ${refused.why}, not a business day: choose ${refused.businessDayBefore} or ${refused.businessDayAfter}`,
        { field, businessDayBefore: refused.businessDayBefore, businessDayAfter: refused.businessDayAfter },
      );
    }
    return date;
  }

  /**
   * Terms of a proposal or counter-proposal (input.terms): at least one of price, delivery date
   * and conditions, and a delivery date not before today in Copenhagen. The reply page's form
   * refuses the same (libs/mail reply-form: proposeEmpty, datePast), so a proposal recorded by a
   * coordinator or sent back to the supplier is never one the supplier could not have made: an
   * empty proposal would be agreed as terms saying nothing, a past date as a promise already broken.
   * @throws BAD_USER_INPUT naming `input.terms` or `input.terms.deliveryDate`
   */
  private terms(input: TermsInput | undefined): Terms {
    const result: Terms = {
      priceOere: input?.priceOere ?? null,
      deliveryDate: input?.deliveryDate
        ? assertIsoDate(input.deliveryDate, 'input.terms.deliveryDate')
        : null,
      conditions: input?.conditions?.trim() || null,
    };
    if (result.priceOere === null && result.deliveryDate === null && result.conditions === null) {
      throw badInput('The terms need at least one of price, delivery date and conditions', {
        field: 'input.terms',
      });
    }
    if (result.deliveryDate !== null) this.notInThePast(result.deliveryDate, 'input.terms.deliveryDate');
    return result;
  }

  /**
   * A date a caller sets a deadline to (extendDeadline's dueDate, a send's replyBy): an ISO date,
   * not in the past, on a business day (deadlineDate). The past is refused first: naming the
   * business days around a past holiday would suggest past days.
   * @throws BAD_USER_INPUT naming `field`
   */
  private deadlineDateAhead(value: string, field: string): string {
    return this.deadlineDate(this.notInThePast(assertIsoDate(value, field), field), field);
  }

  /** The reply-by date of a send (sendToSupplier, sendAmendment): none, or deadlineDateAhead. */
  private replyBy(value: string | null | undefined): string | null {
    return value ? this.deadlineDateAhead(value, 'replyBy') : null;
  }

  /** A date someone must still meet: today (in Copenhagen) or later. */
  private notInThePast(date: string, field: string): string {
    const today = this.deadlines.calendar.localDate(this.clock.now());
    if (date < today) throw badInput(`${field} ${date} is in the past`, { field });
    return date;
  }

  /** Ids the caller names must exist: NOT_FOUND now, not a foreign-key failure later. */
  private async assertExist(table: 'project' | 'source_supplier', what: string, ids: readonly string[]) {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
    if (wanted.length === 0) return;
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM ${table} WHERE id = ANY($1::uuid[])`,
      [wanted],
    );
    const found = new Set(rows.map((row) => row.id));
    const missing = wanted.find((id) => !found.has(id));
    if (missing) throw notFound(what, missing);
  }

  /** Project users see orders their project has requested; others see all. */
  private visibility(user: AuthenticatedUser, projectParameter: string): string {
    if (user.role !== 'project') return '';
    return `AND EXISTS (SELECT 1 FROM interface_request r WHERE r.order_id = o.id AND r.project_id = ${projectParameter})`;
  }

  private readonly snapshots = new WeakMap<InterfaceOrderModel, OrderSnapshot>();

  private snapshotOf(order: InterfaceOrderModel): OrderSnapshot {
    const snapshot = this.snapshots.get(order);
    if (!snapshot) throw new Error(`order ${order.id} was not built by OrdersService.toModel`);
    return snapshot;
  }

  /** The API view of an order; pass the snapshot when it is at hand, to skip restoring it again. */
  toModel(row: OrderRow, known?: OrderSnapshot): InterfaceOrderModel {
    const snapshot = known ?? this.transitions.restore(row);
    const context = snapshot.context;
    const model: InterfaceOrderModel = {
      id: row.id,
      reference: row.reference,
      interfaceId: row.interfaceId,
      supplierId: row.supplierId,
      state: row.state,
      version: row.version,
      machineVersion: row.machineVersion,
      category: row.category as InterfaceOrderModel['category'],
      responsibleParties: row.category
        ? (responsibleParties(row.category) as InterfaceOrderModel['responsibleParties'])
        : null,
      ballInCourt: row.ballInCourt as InterfaceOrderModel['ballInCourt'],
      dueAt: row.dueAt,
      stateEnteredAt: row.stateEnteredAt,
      businessDaysOverdue:
        row.dueAt && isOverdue(row.dueAt, this.clock.now())
          ? businessDaysOverdue(row.dueAt, this.clock.now(), this.deadlines.calendar)
          : null,
      escalationLevel: row.escalationLevel,
      escalated: row.escalationLevel > 0,
      specification: context.specification,
      negotiation: context.negotiation,
      proposal: context.proposal,
      agreedTerms: context.agreedTerms,
      openQuestion: context.openQuestion,
      declineReason: context.declineReason,
      planB: context.planB as InterfaceOrderModel['planB'],
      scopeReduction: context.scopeReduction && {
        droppedDataElements: context.scopeReduction.droppedDataElements,
        projectIds: context.scopeReduction.projectIds,
        awaitingProjectIds: outstandingScopeResponses(context),
        responses: context.scopeReduction.projectIds.flatMap((projectId) => {
          const answer = context.scopeReduction?.responses[projectId];
          return answer
            ? [
                {
                  projectId,
                  response: answer.response as ScopeResponseKindEnum,
                  comment: answer.comment,
                  at: new Date(answer.at),
                },
              ]
            : [];
        }),
        at: new Date(context.scopeReduction.at),
      },
      droppedDataElements: context.droppedDataElements,
      testPlan: context.testPlan as InterfaceOrderModel['testPlan'],
      testResults: Object.entries(context.testResults).map(([projectId, result]) => ({
        projectId,
        outcome: result.outcome as InterfaceOrderModel['testResults'][number]['outcome'],
        notes: result.notes,
        recordedAt: new Date(result.recordedAt),
      })),
      amendments: context.amendments.map((amendment) => ({
        requestId: amendment.requestId,
        change: amendment.change as InterfaceOrderModel['amendments'][number]['change'],
        at: new Date(amendment.at),
        previousDataElements: amendment.previous?.dataElements ?? null,
        previousNeedBy: amendment.previous?.needBy ?? null,
      })),
      holdReason: context.holdReason,
      cancelReason: context.cancelReason,
      liveDate: context.liveDate,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
    this.snapshots.set(model, snapshot);
    return model;
  }

  // ── transitions ──────────────────────────────────────────────────────────

  private async move<T extends OrderEventType>(
    user: AuthenticatedUser,
    target: OrderTarget,
    event: OrderEventPayload<T>,
    alsoInTransaction?: TransitionCommand['alsoInTransaction'],
  ): Promise<InterfaceOrderModel> {
    // An order a project may not see is NOT_FOUND before the machine judges the event: its
    // refusal (state, allowed events) would tell a stranger that the order exists and where it is.
    if (user.role === 'project') await this.findVisible(user, target.orderId);
    const result = await this.transitions.apply({
      orderId: assertUuid(target.orderId, 'orderId'),
      expectedVersion: target.expectedVersion,
      actor: actorOf(user),
      event,
      ...(alsoInTransaction ? { alsoInTransaction } : {}),
    });
    return this.toModel(result.order, result.snapshot);
  }

  /** Merges the approved requests into one specification, under the order lock. */
  async consolidate(user: AuthenticatedUser, args: ConsolidateArgs): Promise<InterfaceOrderModel> {
    const orderId = assertUuid(args.orderId, 'orderId');
    const result = await this.transitions.inTransaction(async (tx) => {
      const locked = await this.transitions.lock(tx, orderId);
      const approved = await approvedRequests(tx, orderId);
      const defaults: { category: OrderCategory }[] = await tx.query(
        'SELECT default_category AS category FROM interface WHERE id = $1',
        [locked.interfaceId],
      );
      const specification =
        approved.length > 0
          ? consolidateRequests(approved)
          : { dataElements: [], needBy: '', projectIds: [], requestIds: [] };
      return this.transitions.apply(
        {
          orderId,
          expectedVersion: args.expectedVersion,
          actor: actorOf(user),
          event: {
            type: 'CONSOLIDATE',
            category: args.category ?? defaults[0]?.category ?? 'COMMON_NEED',
            specification,
          },
        },
        tx,
      );
    });
    return this.toModel(result.order, result.snapshot);
  }

  /**
   * `batchId` (bulkSendToSupplier only): the send is one of several to the same supplier, whose
   * emails go out as one per recipient listing them all.
   */
  async sendToSupplier(
    user: AuthenticatedUser,
    target: OrderTarget,
    input: SendToSupplierInput | undefined,
    batchId?: string,
  ): Promise<InterfaceOrderModel> {
    const orderId = assertUuid(target.orderId, 'orderId');
    const replyBy = this.replyBy(input?.replyBy);
    const result = await this.transitions.inTransaction(async (tx) => {
      // Only the supplier id is needed here; the transition reads the facts for the supplier sent to.
      const locked = await this.transitions.lock(tx, orderId, { facts: false });
      const supplierId = input?.supplierId
        ? assertUuid(input.supplierId, 'supplierId')
        : defaultSupplierOf(this.transitions.restore(locked).context);
      const contacts: { id: string }[] = await tx.query(
        'SELECT id FROM supplier_contact WHERE supplier_id = $1 AND removed_at IS NULL ORDER BY name',
        [supplierId],
      );
      // No contact is for the machine's guard to refuse (supplierHasContact), whichever supplier is named.
      if (input?.supplierId && supplierId !== locked.supplierId) {
        const suppliers: { id: string }[] = await tx.query('SELECT id FROM source_supplier WHERE id = $1', [
          supplierId,
        ]);
        if (!suppliers[0]) throw notFound('Supplier', supplierId);
      }
      const known = new Set(contacts.map((contact) => contact.id));
      const recipients = input?.recipientContactIds?.map((id) => id.toLowerCase()) ?? [...known];
      const strangers = recipients.filter((id) => !known.has(id));
      if (strangers.length > 0) {
        throw badInput(`Not contacts of this supplier: ${strangers.join(', ')}`, {
          field: 'recipientContactIds',
        });
      }
      return this.transitions.apply(
        {
          orderId,
          expectedVersion: target.expectedVersion,
          actor: actorOf(user),
          // The email with each recipient's own reply link commits with it (consequences.ts).
          event: {
            type: 'SEND_TO_SUPPLIER',
            recipientContactIds: recipients,
            replyBy,
            supplierId,
            ...(batchId ? { batchId } : {}),
          },
        },
        tx,
      );
    });
    return this.toModel(result.order, result.snapshot);
  }

  recordSupplierResponse(user: AuthenticatedUser, target: OrderTarget, input: SupplierResponseInput) {
    switch (input.kind) {
      case 'ACCEPT':
        return this.move(user, target, { type: 'SUPPLIER_ACCEPTS', note: input.note?.trim() || undefined });
      case 'PROPOSE':
        if (!input.terms) throw badInput('A proposal needs terms', { field: 'terms' });
        return this.move(user, target, { type: 'SUPPLIER_PROPOSES', terms: this.terms(input.terms) });
      case 'ASK':
        if (!input.question) throw badInput('A question needs its text', { field: 'question' });
        return this.move(user, target, { type: 'SUPPLIER_ASKS', question: input.question });
      case 'DECLINE':
        if (!input.reason) throw badInput('A decline needs a reason', { field: 'reason' });
        return this.move(user, target, { type: 'SUPPLIER_DECLINES', reason: input.reason });
    }
  }

  /** The supplier gets the answer in a new round (consequences.ts: ASK_SUPPLIER). */
  answerSupplier(user: AuthenticatedUser, target: OrderTarget, input: AnswerSupplierInput) {
    return this.move(user, target, { type: 'ANSWER_SUPPLIER', answer: input.answer });
  }

  acceptProposal(user: AuthenticatedUser, target: OrderTarget) {
    return this.move(user, target, { type: 'ACCEPT_PROPOSAL' });
  }

  counterProposal(user: AuthenticatedUser, target: OrderTarget, input: CounterProposalInput) {
    return this.move(user, target, { type: 'COUNTER_PROPOSAL', terms: this.terms(input.terms) });
  }

  /**
   * Starts a plan B. With kind REDUCED_SCOPE, `droppedDataElements` (required there, refused
   * otherwise) leave the specification; the projects whose active request asked for one of them
   * are read under the order lock and must each answer (respondToScopeReduction) before the
   * order goes on. BAD_USER_INPUT (field droppedDataElements) for an element not in the
   * specification or a drop that would leave nothing.
   */
  async startPlanB(user: AuthenticatedUser, target: OrderTarget, input: StartPlanBInput) {
    const orderId = assertUuid(target.orderId, 'orderId');
    if (input.alternativeSupplierId)
      await this.assertExist('source_supplier', 'Supplier', [input.alternativeSupplierId]);
    const dropped = [...new Set((input.droppedDataElements ?? []).map((code) => code.trim()))];
    if (input.kind === 'REDUCED_SCOPE' && dropped.length === 0) {
      throw badInput('A reduced scope must name the data elements it drops', {
        field: 'droppedDataElements',
      });
    }
    if (input.kind !== 'REDUCED_SCOPE' && dropped.length > 0) {
      throw badInput(`Only a REDUCED_SCOPE plan B drops data elements, not ${input.kind}`, {
        field: 'droppedDataElements',
      });
    }
    const result = await this.transitions.inTransaction(async (tx) => {
      let scopeReduction: { droppedDataElements: string[]; projectIds: string[] } | null = null;
      if (dropped.length > 0) {
        const locked = await this.transitions.lock(tx, orderId, { facts: false });
        const specified = this.transitions.restore(locked).context.specification?.dataElements ?? [];
        const unknown = dropped.filter((code) => !specified.includes(code));
        if (unknown.length > 0) {
          throw badInput(`Not in the order's specification: ${unknown.join(', ')}`, {
            field: 'droppedDataElements',
          });
        }
        if (dropped.length === specified.length) {
          throw badInput('A reduced scope must keep at least one data element; cancel the order instead', {
            field: 'droppedDataElements',
          });
        }
        const affected: { projectId: string }[] = await tx.query(
          `SELECT DISTINCT project_id AS "projectId" FROM interface_request
            WHERE order_id = $1 AND status NOT IN ('REJECTED', 'WITHDRAWN') AND data_elements && $2::text[]
            ORDER BY 1`,
          [orderId, dropped],
        );
        scopeReduction = { droppedDataElements: dropped, projectIds: affected.map((row) => row.projectId) };
      }
      return this.transitions.apply(
        {
          orderId,
          expectedVersion: target.expectedVersion,
          actor: actorOf(user),
          event: {
            type: 'START_PLAN_B',
            kind: input.kind,
            description: input.description,
            // Lowercased like every stored id, so lookups keyed by it (allowedEvents' facts) match.
            alternativeSupplierId: input.alternativeSupplierId
              ? assertUuid(input.alternativeSupplierId, 'alternativeSupplierId')
              : null,
            scopeReduction,
          },
        },
        tx,
      );
    });
    return this.toModel(result.order, result.snapshot);
  }

  /**
   * A project's answer to a reduced scope (acknowledge, or object with a comment), by the project
   * itself or a coordinator on its behalf. NOT_FOUND for an order the caller may not see, before
   * anything else; FORBIDDEN for a project answering for another; BAD_USER_INPUT (comment) for
   * an objection without a comment; INVALID_TRANSITION when the project is not asked or has
   * answered already.
   */
  async respondToScopeReduction(
    user: AuthenticatedUser,
    target: OrderTarget,
    input: RespondToScopeReductionInput,
  ): Promise<InterfaceOrderModel> {
    await this.findVisible(user, target.orderId);
    const projectId = input.projectId?.toLowerCase() ?? user.projectId;
    if (!projectId) throw badInput('projectId is required', { field: 'projectId' });
    const comment = input.comment?.trim() || null;
    if (input.response === 'OBJECTED' && !comment) {
      throw badInput('An objection needs a comment saying why', { field: 'comment' });
    }
    return this.move(user, target, {
      type: 'RESPOND_TO_SCOPE_REDUCTION',
      projectId,
      response: input.response,
      comment,
    });
  }

  /**
   * Sends the amended specification to the supplier as a new round: rebuilt under the order
   * lock from the approved active requests (as consolidation does), less what reduced scopes
   * dropped; the round records what changed (elements added and removed, need-by moved) for the
   * email and the reply page. Recipients default to the last round's (or every contact of the
   * supplier). INVALID_TRANSITION without a pending amendment, with a request still under
   * review, or with a supplier that has no contact.
   */
  async sendAmendment(
    user: AuthenticatedUser,
    target: OrderTarget,
    input: SendAmendmentInput | undefined,
  ): Promise<InterfaceOrderModel> {
    const orderId = assertUuid(target.orderId, 'orderId');
    const replyBy = this.replyBy(input?.replyBy);
    const result = await this.transitions.inTransaction(async (tx) => {
      const locked = await this.transitions.lock(tx, orderId, { facts: false });
      const context = this.transitions.restore(locked).context;
      const supplierId = defaultSupplierOf(context);
      const contacts: { id: string }[] = await tx.query(
        'SELECT id FROM supplier_contact WHERE supplier_id = $1 ORDER BY name',
        [supplierId],
      );
      const known = new Set(contacts.map((contact) => contact.id));
      const lastRound = (context.negotiation?.recipientContactIds ?? []).filter((id) => known.has(id));
      const recipients =
        input?.recipientContactIds?.map((id) => id.toLowerCase()) ??
        (lastRound.length > 0 ? lastRound : [...known]);
      const strangers = recipients.filter((id) => !known.has(id));
      if (strangers.length > 0) {
        throw badInput(`Not contacts of this supplier: ${strangers.join(', ')}`, {
          field: 'recipientContactIds',
        });
      }
      const approved = await approvedRequests(tx, orderId);
      // With nothing approved the machine refuses (amendmentReady); an empty specification stands in.
      const rebuilt =
        approved.length > 0
          ? consolidateRequests(approved)
          : { dataElements: [], needBy: context.specification?.needBy ?? '', projectIds: [], requestIds: [] };
      const dropped = new Set(context.droppedDataElements);
      const specification = {
        ...rebuilt,
        dataElements: rebuilt.dataElements.filter((code) => !dropped.has(code)),
      };
      return this.transitions.apply(
        {
          orderId,
          expectedVersion: target.expectedVersion,
          actor: actorOf(user),
          event: {
            type: 'SEND_AMENDMENT',
            specification,
            change: specificationChange(context.specification, specification),
            recipientContactIds: recipients,
            replyBy,
            supplierId,
          },
        },
        tx,
      );
    });
    return this.toModel(result.order, result.snapshot);
  }

  /**
   * Turns a request's pending change down: the order stays as it is, the comment goes to the
   * request's project (a notice) and into the history. The request is put back as the
   * specification holds it (its content before the change, approved) when the specification
   * includes it; a request submitted after the supplier was engaged is rejected with the
   * comment; a withdrawal stays withdrawn. INVALID_TRANSITION when the request has no pending
   * change.
   */
  async turnDownAmendment(
    user: AuthenticatedUser,
    target: OrderTarget,
    input: TurnDownAmendmentInput,
  ): Promise<InterfaceOrderModel> {
    const orderId = assertUuid(target.orderId, 'orderId');
    const requestId = assertUuid(input.requestId, 'requestId');
    const comment = input.comment.trim();
    if (!comment) throw badInput('A turned-down change needs a comment to the project', { field: 'comment' });
    const result = await this.transitions.inTransaction(async (tx) => {
      const locked = await this.transitions.lock(tx, orderId, { facts: false });
      // A request that does not exist, or is another order's, is NOT_FOUND (not "no change
      // waiting"): the caller named something this order does not have.
      const own: { id: string }[] = await tx.query(
        'SELECT id FROM interface_request WHERE id = $1 AND order_id = $2',
        [requestId, orderId],
      );
      if (own.length === 0) throw notFound('Request', requestId);
      const context = this.transitions.restore(locked).context;
      const pending = context.amendments.filter((amendment) => amendment.requestId === requestId);
      const previous = pending.find((amendment) => amendment.previous)?.previous ?? null;
      const inSpecification = context.specification?.requestIds.includes(requestId) ?? false;
      return this.transitions.apply(
        {
          orderId,
          expectedVersion: target.expectedVersion,
          actor: actorOf(user),
          event: { type: 'TURN_DOWN_AMENDMENT', requestId, comment },
          alsoInTransaction: async (work) => {
            const now = this.clock.now();
            if (inSpecification && previous) {
              await work.query(
                `UPDATE interface_request
                    SET status = 'APPROVED', data_elements = $2, unoffered_data_elements = '{}', need_by = $3,
                        review_comment = $4, reviewed_by = $5, reviewed_at = $6, version = version + 1, updated_at = $6
                  WHERE id = $1 AND status <> 'WITHDRAWN'`,
                [requestId, previous.dataElements, previous.needBy, comment, user.subject, now],
              );
            } else if (!inSpecification) {
              await work.query(
                `UPDATE interface_request
                    SET status = 'REJECTED', review_comment = $2, reviewed_by = $3, reviewed_at = $4,
                        version = version + 1, updated_at = $4
                  WHERE id = $1 AND status NOT IN ('WITHDRAWN', 'REJECTED')`,
                [requestId, comment, user.subject, now],
              );
            }
          },
        },
        tx,
      );
    });
    return this.toModel(result.order, result.snapshot);
  }

  async planTest(user: AuthenticatedUser, target: OrderTarget, input: PlanTestInput) {
    const windowStart = assertIsoDate(input.windowStart, 'windowStart');
    const windowEnd = this.notInThePast(assertIsoDate(input.windowEnd, 'windowEnd'), 'windowEnd');
    if (windowEnd < windowStart) throw badInput('windowEnd is before windowStart', { field: 'windowEnd' });
    await this.assertExist('project', 'Project', input.participantProjectIds);
    const participants = [...new Set(input.participantProjectIds.map((id) => id.toLowerCase()))];
    return this.move(
      user,
      target,
      {
        type: 'PLAN_TEST',
        plan: {
          responsible: input.responsible,
          mode: input.mode,
          participantProjectIds: participants,
          windowStart,
          windowEnd,
        },
      },
      // A participant must be a project with an active request on the order: another project
      // cannot see the order, so it could neither read the plan nor record the result the test
      // waits for. Checked under the order's lock, after NOT_FOUND and the machine's own refusal;
      // throwing rolls the plan back.
      async (tx, result) => {
        const rows: { project_id: string }[] = await tx.query(
          `SELECT DISTINCT project_id FROM interface_request
            WHERE order_id = $1 AND status NOT IN ('REJECTED', 'WITHDRAWN')`,
          [result.order.id],
        );
        const requesting = new Set(rows.map((row) => row.project_id));
        const strangers = participants.filter((id) => !requesting.has(id));
        if (strangers.length > 0) {
          throw badInput(`No active request on this order from project ${strangers.join(', ')}`, {
            field: 'input.participantProjectIds',
          });
        }
      },
    );
  }

  startTest(user: AuthenticatedUser, target: OrderTarget) {
    return this.move(user, target, { type: 'START_TEST' });
  }

  recordTestResult(user: AuthenticatedUser, target: OrderTarget, input: RecordTestResultInput) {
    const projectId = input.projectId?.toLowerCase() ?? user.projectId;
    if (!projectId) throw badInput('projectId is required', { field: 'projectId' });
    return this.move(user, target, {
      type: 'RECORD_TEST_RESULT',
      projectId,
      outcome: input.outcome,
      notes: input.notes?.trim() || undefined,
    });
  }

  completeTest(user: AuthenticatedUser, target: OrderTarget) {
    return this.move(user, target, { type: 'COMPLETE_TEST' });
  }

  requestFix(user: AuthenticatedUser, target: OrderTarget, input: RequestFixInput) {
    return this.move(user, target, { type: 'REQUEST_FIX', description: input.description });
  }

  goLive(user: AuthenticatedUser, target: OrderTarget, input: GoLiveInput) {
    return this.move(user, target, { type: 'GO_LIVE', liveDate: assertIsoDate(input.liveDate, 'liveDate') });
  }

  putOnHold(user: AuthenticatedUser, target: ReasonedOrderTarget) {
    return this.move(user, target, { type: 'PUT_ON_HOLD', reason: target.reason });
  }

  resume(user: AuthenticatedUser, target: OrderTarget) {
    return this.move(user, target, { type: 'RESUME' });
  }

  cancel(user: AuthenticatedUser, target: ReasonedOrderTarget) {
    return this.move(user, target, { type: 'CANCEL', reason: target.reason });
  }
}

/** The approved requests of an order, as consolidateRequests takes them (consolidation, an amendment). */
function approvedRequests(
  tx: EntityManager,
  orderId: string,
): Promise<
  { id: string; projectId: string; dataElements: string[]; needBy: string; firmness: 'FIRM' | 'TENTATIVE' }[]
> {
  return tx.query(
    `SELECT id, project_id AS "projectId", data_elements AS "dataElements", need_by AS "needBy", firmness
       FROM interface_request WHERE order_id = $1 AND status = 'APPROVED'`,
    [orderId],
  );
}
