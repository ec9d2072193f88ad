import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { CLOCK, type Clock, conflict, ErrorCode, notFound, SnitflowError } from '@snitflow/common';
import {
  type Actor,
  allowedEventTypes,
  applyOrderEvent,
  ballInCourt,
  EVENTS_READING_FACTS,
  initialOrderSnapshot,
  MachineVersionError,
  ORDER_MACHINE_VERSION,
  type OrderEvent,
  type OrderEventPayload,
  type OrderEventType,
  type OrderSnapshot,
  persistOrderSnapshot,
  restoreOrderSnapshot,
  statePath,
  supplierAddressedBy,
} from '@snitflow/lifecycle';
import { Metrics } from '@snitflow/observability';
import type { EntityManager } from 'typeorm';
import { DeadlinePlanner } from './deadline-planner.js';
import { OrderChanges } from './order-changes.js';
import { OrderConsequences } from './order-consequences.js';
import {
  type FactsColumns,
  factsColumns,
  type LockedOrder,
  ORDER_COLUMNS,
  type OrderRow,
} from './order-row.js';
import { Transactions } from './transactions.js';
import { WrittenSnapshots } from './written-snapshots.js';

export interface TransitionCommand<T extends OrderEventType = OrderEventType> {
  orderId: string;
  event: OrderEventPayload<T>;
  actor: Actor;
  /** When given, the order must still be at this version, or CONFLICT. */
  expectedVersion?: number | null;
  /**
   * Writes that belong to this one call and to no rule (a request's own row, the use of the
   * reply link answered through). Everything a kind of transition causes is in the consequences
   * table (consequences.ts) instead. They run in the same transaction, after the consequences;
   * if they throw, the transition is rolled back with them.
   */
  alsoInTransaction?: (tx: EntityManager, result: TransitionResult) => Promise<void>;
}

/**
 * Extra work after every accepted transition, for tests that inject a fault at the very end of a
 * transition's transaction. The product's consequences are in the table in consequences.ts.
 */
export type TransitionEffect = (
  tx: EntityManager,
  result: TransitionResult,
  event: OrderEventPayload,
) => Promise<void>;

export interface TransitionResult {
  order: OrderRow;
  snapshot: OrderSnapshot;
  fromState: string;
  toState: string;
  eventType: OrderEventType;
}

// One statement text whether or not the event names a supplier: $2 is null when it does not.
const LOCK_FACTS_COLUMNS = factsColumns('coalesce($2::uuid, o.supplier_id)');

/**
 * The only writer of interface orders. Each transition is one transaction:
 * lock the order row (SELECT … FOR UPDATE, so concurrent events on one order
 * queue instead of failing and retrying), check the expected version, restore
 * the snapshot (migrating older machine versions), let the machine decide,
 * then update the row and append the event in one statement.
 */
@Injectable()
export class OrderTransitionService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly consequences: OrderConsequences,
    private readonly changes: OrderChanges,
    private readonly deadlines: DeadlinePlanner,
    // Absent only where no process metrics are kept (scripts).
    @Optional() private readonly metrics?: Metrics,
  ) {}

  private readonly effects: TransitionEffect[] = [];

  // What this process last wrote per order: the next transition skips restoring an unchanged row.
  private readonly written = new WrittenSnapshots();

  /** For tests only (see TransitionEffect): the product's consequences live in consequences.ts. */
  addEffect(effect: TransitionEffect): void {
    this.effects.push(effect);
  }

  /**
   * Runs `work` in a transaction, or in the caller's when one is given. Work
   * registered with onCommit runs once the outermost transaction committed.
   */
  inTransaction<T>(work: (tx: EntityManager) => Promise<T>, tx?: EntityManager): Promise<T> {
    return this.transactions.run(work, tx);
  }

  /** Runs `callback` after the transaction commits (never if it rolls back). */
  onCommit(tx: EntityManager, callback: () => Promise<void>): void {
    this.transactions.onCommit(tx, callback);
  }

  /**
   * Applies one event to one order in its own transaction (or the caller's `tx`): lock, machine,
   * row and history event, then the consequences (consequences.ts). Returns the new row and
   * snapshot. Raises NOT_FOUND (no such order), CONFLICT (expectedVersion is stale), FORBIDDEN
   * (the actor's role may not send the event) or INVALID_TRANSITION (not possible now, with the
   * events that are), UNSUPPORTED_MACHINE_VERSION (a snapshot no migration reaches).
   */
  async apply<T extends OrderEventType>(
    command: TransitionCommand<T>,
    tx?: EntityManager,
  ): Promise<TransitionResult> {
    try {
      const [result] = await this.applyAll([command], tx);
      if (!result) throw new Error(`order ${command.orderId}: no result for its transition`);
      return result;
    } catch (error) {
      this.metrics?.countTransition(command.event.type, outcomeOf(error));
      throw error;
    }
  }

  /**
   * Several transitions, each on a different order, committed together in one transaction (or
   * the caller's): the burst of reminders falling due at one instant. Each order is locked, its
   * event decided by the machine, its row updated and its history event appended exactly as
   * `apply` does; the rows, events and consequences are written set-based, a few statements for
   * the whole batch instead of a dozen per order. All or nothing: a refusal or failure of one raises
   * the error `apply` would and rolls every transition back (the caller may then apply them one
   * by one; a failed batch is not counted in the transition metrics, its transitions are counted
   * when they are applied). Returns the results in the order of `commands`.
   */
  async applyMany(commands: readonly TransitionCommand[], tx?: EntityManager): Promise<TransitionResult[]> {
    return this.applyAll(commands, tx);
  }

  private applyAll(commands: readonly TransitionCommand[], tx?: EntityManager): Promise<TransitionResult[]> {
    if (new Set(commands.map((command) => command.orderId)).size !== commands.length)
      throw new Error(
        'applyMany takes each order once: two events on one order are applied one after the other',
      );
    return this.inTransaction(async (manager) => {
      const lockedOrders = await this.lockAll(manager, commands);
      const at = this.clock.now().toISOString();
      const decided: Decided[] = [];
      for (const [index, command] of commands.entries()) {
        const locked = lockedOrders[index];
        if (!locked) throw new Error(`order ${command.orderId} was not locked`);
        decided.push(await this.decide(manager, locked, command, at));
      }
      const orders = await this.writeAll(manager, decided, at);
      // What each kind of transition causes (deadline, links, emails): the table in consequences.ts.
      await this.consequences.runMany(
        manager,
        decided.map((item, index) => ({
          order: orders[index] as OrderRow,
          snapshot: item.outcome.snapshot,
          fromState: item.outcome.fromState,
          toState: item.outcome.toState,
          event: item.event,
        })),
      );
      const results: TransitionResult[] = [];
      for (const [index, { command, outcome, locked }] of decided.entries()) {
        const order = orders[index] as OrderRow;
        const result: TransitionResult = {
          order,
          snapshot: outcome.snapshot,
          fromState: outcome.fromState,
          toState: outcome.toState,
          eventType: command.event.type,
        };
        if (command.alsoInTransaction) await command.alsoInTransaction(manager, result);
        for (const effect of this.effects) await effect(manager, result, command.event);
        // Counted and told to subscribers only once the outermost transaction has committed.
        const nowMs = new Date(at).getTime();
        const overdueQueue = isPast(locked.dueAt, nowMs) || isPast(order.dueAt, nowMs);
        this.onCommit(manager, async () => {
          this.written.remember(order.id, {
            version: order.version,
            machineVersion: order.machineVersion,
            persisted: order.snapshot,
            snapshot: outcome.snapshot,
          });
          this.metrics?.countTransition(command.event.type, 'accepted');
          this.changes.published({ orderId: order.id, version: order.version, overdueQueue });
        });
        results.push(result);
      }
      return results;
    }, tx);
  }

  /**
   * Locks every command's order. One order: one statement with the facts its event's guards
   * read, as always. Several: one statement locking them all in id order (so two batches never
   * wait for each other in opposite order), then the facts for the few events that read them.
   */
  private async lockAll(
    manager: EntityManager,
    commands: readonly TransitionCommand[],
  ): Promise<LockedOrder[]> {
    const optionsOf = (command: TransitionCommand) => ({
      // Only two events' guards read the facts; the others skip those subqueries.
      facts: EVENTS_READING_FACTS.has(command.event.type),
      contactsOf: supplierAddressedBy(command.event),
    });
    const [only] = commands;
    if (commands.length === 1 && only) return [await this.lock(manager, only.orderId, optionsOf(only))];
    const rows: OrderRow[] = await manager.query(
      `SELECT ${ORDER_COLUMNS} FROM interface_order o WHERE o.id = ANY($1::uuid[]) ORDER BY o.id FOR UPDATE OF o`,
      [commands.map((command) => command.orderId)],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const locked: LockedOrder[] = [];
    for (const command of commands) {
      const row = byId.get(command.orderId);
      if (!row) throw notFound('Order', command.orderId);
      const options = optionsOf(command);
      locked.push(
        options.facts
          ? await this.lock(manager, command.orderId, options)
          : { ...row, facts: { activeRequests: [], supplierContactCount: 0 } },
      );
    }
    return locked;
  }

  /** The machine's decision on one locked order, or the refusal as the error `apply` raises. */
  private async decide(
    manager: EntityManager,
    locked: LockedOrder,
    command: TransitionCommand,
    at: string,
  ): Promise<Decided> {
    if (command.expectedVersion != null && command.expectedVersion !== locked.version) {
      throw conflict(
        `Order ${locked.reference} is at version ${locked.version}, not ${command.expectedVersion}: reload and try again`,
        { expectedVersion: command.expectedVersion, currentVersion: locked.version },
      );
    }
    // A row that still holds exactly what this process wrote needs no restoring (WrittenSnapshots).
    const snapshot = this.written.reuse(locked) ?? this.restore(locked);
    const event = { ...command.event, actor: command.actor, facts: locked.facts, at } as OrderEvent;
    const outcome = applyOrderEvent(snapshot, event);
    if (!outcome.accepted) {
      const state = statePath(snapshot);
      if (outcome.kind === 'ROLE_FORBIDDEN') {
        throw new SnitflowError(ErrorCode.FORBIDDEN, outcome.message, {
          eventType: command.event.type,
          state,
        });
      }
      // The refusal names what the caller may do instead, judged on the real facts.
      const facts = (await this.lock(manager, command.orderId, { facts: true })).facts;
      throw new SnitflowError(ErrorCode.INVALID_TRANSITION, outcome.message, {
        eventType: command.event.type,
        state,
        allowedEvents: allowedEventTypes(snapshot, command.actor, facts),
      });
    }
    return { locked, restored: snapshot, command, event, outcome };
  }

  /**
   * The interface's open order, created (at version 0, state ordered) when it
   * has none. The partial unique index makes concurrent creators agree on one
   * row; the row comes back locked. The creator alone plans the new order's
   * deadline and reminders (README "Deadlines, reminders and the overdue
   * queue": `ordered` has one, like every state where someone must act) in
   * this transaction, counted from the injected clock; their wake-ups are
   * queued after commit.
   */
  async lockOpenOrderFor(
    tx: EntityManager,
    target: { interfaceId: string; interfaceKey: string; supplierId: string },
  ): Promise<LockedOrder> {
    const orderId = randomUUID();
    const snapshot = initialOrderSnapshot({
      orderId,
      interfaceKey: target.interfaceKey,
      supplierId: target.supplierId,
    });
    const now = this.clock.now();
    const state = statePath(snapshot);
    // state_entered_at from the clock, not the column's now() default: the deadline counts from it.
    const created: { id: string; version: number }[] = await tx.query(
      `INSERT INTO interface_order (id, interface_id, supplier_id, state, ball_in_court, machine_version, snapshot,
                                    state_entered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (interface_id) WHERE is_open DO NOTHING
       RETURNING id, version`,
      [
        orderId,
        target.interfaceId,
        target.supplierId,
        state,
        ballInCourt(snapshot),
        ORDER_MACHINE_VERSION,
        persistOrderSnapshot(snapshot),
        now,
      ],
    );
    const createdOrder = created[0];
    if (createdOrder) {
      const planned = await this.deadlines.planNewOrder(tx, createdOrder, state, now);
      this.onCommit(tx, () => this.deadlines.applyToQueue(planned));
    }
    const rows: { id: string }[] = await tx.query(
      'SELECT id FROM interface_order WHERE interface_id = $1 AND is_open',
      [target.interfaceId],
    );
    const id = rows[0]?.id;
    if (!id)
      throw new Error(`open order for interface ${target.interfaceKey} vanished inside its transaction`);
    return this.lock(tx, id);
  }

  /**
   * Locks the order row (FOR UPDATE) and, unless told otherwise, reads the
   * guards' facts in the same statement. Without facts, `facts` is empty.
   * `contactsOf` names the supplier whose contacts the facts count, when it is
   * not the order's own (a send to plan B's supplier).
   */
  async lock(
    tx: EntityManager,
    orderId: string,
    options: { facts: boolean; contactsOf?: string | null } = { facts: true },
  ): Promise<LockedOrder> {
    const [columns, parameters] = options.facts
      ? [`${ORDER_COLUMNS}, ${LOCK_FACTS_COLUMNS}`, [orderId, options.contactsOf ?? null]]
      : [ORDER_COLUMNS, [orderId]];
    const rows: (OrderRow & Partial<FactsColumns>)[] = await tx.query(
      `SELECT ${columns} FROM interface_order o WHERE o.id = $1 FOR UPDATE OF o`,
      parameters,
    );
    const row = rows[0];
    if (!row) throw notFound('Order', orderId);
    const { activeRequests = [], supplierContactCount = 0, ...order } = row;
    return { ...order, facts: { activeRequests, supplierContactCount } };
  }

  restore(order: Pick<OrderRow, 'machineVersion' | 'snapshot' | 'reference'>): OrderSnapshot {
    try {
      return restoreOrderSnapshot({ machineVersion: order.machineVersion, snapshot: order.snapshot });
    } catch (error) {
      if (error instanceof MachineVersionError) {
        throw new SnitflowError(
          ErrorCode.UNSUPPORTED_MACHINE_VERSION,
          `Order ${order.reference}: ${error.message}`,
          { storedVersion: error.storedVersion, currentVersion: error.currentVersion },
        );
      }
      throw error;
    }
  }

  /**
   * Writes each decided transition: the order row (snapshot, state, ball, version + 1) and its
   * history event, in one statement for all of them. The rows are locked: everything but the new
   * version is known here, so only that comes back. Returns the new rows in the order given.
   */
  private async writeAll(tx: EntityManager, decided: readonly Decided[], at: string): Promise<OrderRow[]> {
    const written = decided.map(({ locked, restored, outcome, command }) => {
      const { type, ...payload } = command.event as { type: OrderEventType } & Record<string, unknown>;
      const next = outcome.snapshot;
      const context = next.context;
      // An event that only goes into the history (a reminder, a review) leaves the machine's
      // snapshot as it was, the same objects: the stored JSON is kept instead of written again.
      const unchanged =
        locked.machineVersion === ORDER_MACHINE_VERSION &&
        next.value === restored.value &&
        next.context === restored.context &&
        next.historyValue === restored.historyValue &&
        next.status === restored.status;
      return {
        locked,
        type,
        unchanged,
        snapshot: unchanged ? locked.snapshot : persistOrderSnapshot(next),
        state: outcome.toState,
        ball: ballInCourt(outcome.snapshot),
        category: context.category,
        supplierId: context.negotiation?.supplierId ?? locked.supplierId,
        input: {
          payload,
          actor_id: command.actor.id,
          actor_role: command.actor.role,
          actor_name: command.actor.displayName ?? null,
          from_state: outcome.fromState,
        },
      };
    });
    const rows: { id: string; version: number }[] = await tx.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
           id uuid, snapshot jsonb, state text, ball_in_court text, category text, supplier_id uuid,
           type text, actor_id text, actor_role text, actor_name text, from_state text, payload jsonb)
       ), updated AS (
         UPDATE interface_order o
            SET snapshot = coalesce(i.snapshot, o.snapshot), state = i.state, ball_in_court = i.ball_in_court,
                category = i.category, supplier_id = i.supplier_id, machine_version = $2,
                version = o.version + 1, updated_at = $3
           FROM input i
          WHERE o.id = i.id
         RETURNING o.id, o.version
       ), appended AS (
         INSERT INTO order_event (order_id, version, type, actor_id, actor_role, actor_name,
                                  from_state, to_state, payload, occurred_at)
         SELECT u.id, u.version, i.type, i.actor_id, i.actor_role, i.actor_name, i.from_state, i.state,
                i.payload, $3
           FROM updated u JOIN input i ON i.id = u.id
       )
       SELECT id, version FROM updated`,
      [
        JSON.stringify(
          written.map((item) => ({
            id: item.locked.id,
            snapshot: item.unchanged ? null : item.snapshot,
            state: item.state,
            ball_in_court: item.ball,
            category: item.category,
            supplier_id: item.supplierId,
            type: item.type,
            ...item.input,
          })),
        ),
        ORDER_MACHINE_VERSION,
        at,
      ],
    );
    const versions = new Map(rows.map((row) => [row.id, row.version]));
    return written.map((item) => {
      const version = versions.get(item.locked.id);
      if (version === undefined) throw new Error(`order ${item.locked.id} disappeared while locked`);
      const { facts: _facts, ...row } = item.locked;
      return {
        ...row,
        snapshot: item.snapshot,
        state: item.state,
        ballInCourt: item.ball,
        category: item.category,
        supplierId: item.supplierId,
        machineVersion: ORDER_MACHINE_VERSION,
        version,
        updatedAt: new Date(at),
      };
    });
  }
}

/** One transition the machine accepted, not yet written. */
interface Decided {
  locked: LockedOrder;
  /** The snapshot the machine decided on (restored from the row, or reused). */
  restored: OrderSnapshot;
  command: TransitionCommand;
  event: OrderEvent;
  outcome: Extract<ReturnType<typeof applyOrderEvent>, { accepted: true }>;
}

/** A deadline that has passed at `nowMs` (an order with one is in the overdue queue while open). */
function isPast(dueAt: Date | null, nowMs: number): boolean {
  return dueAt !== null && dueAt.getTime() < nowMs;
}

/** The metric outcome of a refused or failed transition: its error code, or ERROR. */
function outcomeOf(error: unknown): string {
  return error instanceof SnitflowError ? error.code : 'ERROR';
}
