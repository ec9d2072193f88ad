import { type HistoryValue, initialTransition } from 'xstate';
import { z } from 'zod';
import { LEAF_STATE_PATHS } from './machine-walk.js';
import { ORDER_MACHINE_VERSION, type OrderSnapshot, orderMachine } from './order.machine.js';
import { type OrderContext, type OrderInput, supplierEngaged } from './order-context.js';
import type { OrderEvent } from './order-events.js';
import { statePath } from './snapshot-queries.js';

/** Thrown when a stored snapshot cannot be brought to the current machine version. */
export class MachineVersionError extends Error {
  override readonly name = 'MachineVersionError';

  constructor(
    readonly storedVersion: number,
    readonly currentVersion: number,
    message: string,
  ) {
    super(message);
  }
}

// Raised inside migrations and validation; restoreOrderSnapshot turns it into a MachineVersionError.
class SnapshotDoesNotFit extends Error {}

export function initialOrderSnapshot(input: OrderInput): OrderSnapshot {
  const [snapshot] = initialTransition(orderMachine, input);
  return snapshot;
}

/**
 * The snapshot as JSON for the database, in XState's persisted format: state
 * value, context, and the history value as state node ids, so an order on
 * hold still knows where to resume after a round trip.
 */
export function persistOrderSnapshot(snapshot: OrderSnapshot): Record<string, unknown> {
  const persisted = orderMachine.getPersistedSnapshot(snapshot);
  // Drops the undefined `output` and `error` keys, so what we hand over equals what jsonb hands back.
  const json = jsonCopy(persisted);
  if (!isRecord(json)) throw new Error('A persisted order snapshot must be a JSON object');
  return json;
}

/**
 * What JSON.parse(JSON.stringify(value)) gives, without the text in between (a third of the cost
 * of persisting an order's snapshot): undefined, functions and symbols are left out of objects
 * and become null in arrays, non-finite numbers become null, toJSON is honoured (a Date becomes
 * its ISO string). A bigint is refused, as JSON.stringify refuses it.
 */
function jsonCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError('A bigint cannot be stored in an order snapshot');
  }
  if (value === null) return null;
  const toJson = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJson === 'function') return jsonCopy(toJson.call(value));
  if (Array.isArray(value)) return value.map((item) => jsonCopy(item) ?? null);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const copied = jsonCopy(item);
    if (copied !== undefined) copy[key] = copied;
  }
  return copy;
}

/** Migrates a stored snapshot from one machine version to the next; keyed by the version it migrates from. */
export type SnapshotMigration = (stored: unknown) => unknown;

// Version 1 had no `active` wrapper and no onHold; its final states stayed top-level in version 2.
const V1_FINAL_STATES: readonly string[] = ['live', 'cancelled'];

function wrapUnderActiveAndAddHoldFields(stored: unknown): unknown {
  if (!isRecord(stored) || !isRecord(stored.context) || stored.value === undefined) {
    throw new SnapshotDoesNotFit('a version 1 snapshot must be an object with a value and a context');
  }
  const { value, context } = stored;
  const isFinalState = typeof value === 'string' && V1_FINAL_STATES.includes(value);
  return {
    ...stored,
    value: isFinalState ? value : { active: value },
    context: { holdReason: null, amendments: [], ...context },
    // Version 1 had no history state, so nothing to remember yet.
    historyValue: {},
  };
}

/**
 * Version 2 recorded a request changed while the order was on hold before the
 * supplier was engaged as an amendment, then resumed as if nothing had
 * changed. Version 3 remembers such a change as reopenOnResume instead; an
 * order held that way under version 2 gets it too, so its change is not lost.
 */
function addReopenOnResume(stored: unknown): unknown {
  if (!isRecord(stored) || !isRecord(stored.context)) {
    throw new SnapshotDoesNotFit('a version 2 snapshot must be an object with a context');
  }
  const { context } = stored;
  const changedWhileHeld =
    stored.value === 'onHold' &&
    !supplierEngaged({ negotiation: context.negotiation, planB: context.planB }) &&
    Array.isArray(context.amendments) &&
    context.amendments.length > 0;
  return {
    ...stored,
    context: changedWhileHeld
      ? { ...context, amendments: [], reopenOnResume: true }
      : { reopenOnResume: false, ...context },
  };
}

/**
 * Version 4 added the reduced scope (scopeReduction, droppedDataElements), what an amended
 * round changed (negotiation.change) and the request as it was before an amendment
 * (amendment.previous). A version 3 order had none of them: nothing reduced, no round that
 * sent a change, and no previous content recorded (turning such an amendment down cannot
 * restore the request, which the service then leaves as it is).
 */
function addScopeAndAmendmentFields(stored: unknown): unknown {
  if (!isRecord(stored) || !isRecord(stored.context)) {
    throw new SnapshotDoesNotFit('a version 3 snapshot must be an object with a context');
  }
  const { context } = stored;
  const negotiation = isRecord(context.negotiation)
    ? { change: null, ...context.negotiation }
    : context.negotiation;
  const amendments = Array.isArray(context.amendments)
    ? context.amendments.map((amendment: unknown) =>
        isRecord(amendment) ? { previous: null, ...amendment } : amendment,
      )
    : context.amendments;
  return {
    ...stored,
    context: { scopeReduction: null, droppedDataElements: [], ...context, negotiation, amendments },
  };
}

export const SNAPSHOT_MIGRATIONS: Readonly<Record<number, SnapshotMigration>> = {
  1: wrapUnderActiveAndAddHoldFields,
  2: addReopenOnResume,
  3: addScopeAndAmendmentFields,
};

export const OLDEST_RESTORABLE_MACHINE_VERSION = 1;

/**
 * Restores a stored snapshot, migrating it step by step from the version it
 * was stored with. Refuses versions it does not know (older than the first
 * one, or newer than this code) and snapshots that do not fit the machine.
 */
export function restoreOrderSnapshot(stored: { machineVersion: number; snapshot: unknown }): OrderSnapshot {
  const storedVersion = stored.machineVersion;
  const current = ORDER_MACHINE_VERSION;
  const refuse = (message: string) => new MachineVersionError(storedVersion, current, message);
  if (!Number.isInteger(storedVersion) || storedVersion < OLDEST_RESTORABLE_MACHINE_VERSION) {
    throw refuse(
      `Order snapshot has machine version ${storedVersion}, which never existed: ` +
        `this code restores versions ${OLDEST_RESTORABLE_MACHINE_VERSION} to ${current}`,
    );
  }
  if (storedVersion > current) {
    throw refuse(
      `Order snapshot has machine version ${storedVersion}, newer than this code's version ${current}: ` +
        'it was written by a newer release and cannot be read by this one',
    );
  }
  try {
    let migrated = stored.snapshot;
    for (let version = storedVersion; version < current; version++) {
      const migrate = SNAPSHOT_MIGRATIONS[version];
      if (!migrate) throw new SnapshotDoesNotFit(`no migration is registered from version ${version}`);
      migrated = migrate(migrated);
    }
    return reviveSnapshot(migrated);
  } catch (error) {
    if (!(error instanceof SnapshotDoesNotFit)) throw error;
    const migratedNote = storedVersion === current ? '' : `, migrated to ${current}`;
    throw refuse(
      `Order snapshot (machine version ${storedVersion}${migratedNote}) does not fit the order machine: ${error.message}`,
    );
  }
}

type StoredStateValue = string | { [key: string]: StoredStateValue };

const stateValueSchema: z.ZodType<StoredStateValue> = z.lazy(() =>
  z.union([z.string(), z.record(z.string(), stateValueSchema)]),
);

const termsSchema = z.strictObject({
  priceOere: z.string().regex(/^\d+$/, 'must be a whole number of øre').nullable(),
  deliveryDate: z.string().nullable(),
  conditions: z.string().nullable(),
});

const contextSchema = z.strictObject({
  orderId: z.string(),
  interfaceKey: z.string(),
  supplierId: z.string(),
  category: z.enum(['NINETY_EIGHT_POTENTIAL', 'COMMON_NEED', 'MUNICIPALITY_SPECIFIC']).nullable(),
  specification: z
    .strictObject({
      dataElements: z.array(z.string()),
      needBy: z.string(),
      projectIds: z.array(z.string()),
      requestIds: z.array(z.string()),
    })
    .nullable(),
  negotiation: z
    .strictObject({
      round: z.number().int().positive(),
      supplierId: z.string(),
      recipientContactIds: z.array(z.string()),
      replyBy: z.string().nullable(),
      change: z
        .strictObject({
          added: z.array(z.string()),
          removed: z.array(z.string()),
          needBy: z.strictObject({ from: z.string(), to: z.string() }).nullable(),
        })
        .nullable(),
    })
    .nullable(),
  proposal: termsSchema.nullable(),
  agreedTerms: termsSchema.nullable(),
  openQuestion: z.string().nullable(),
  declineReason: z.string().nullable(),
  planB: z
    .strictObject({
      kind: z.enum(['OTHER_SOURCE', 'WORKAROUND', 'REDUCED_SCOPE']),
      description: z.string(),
      alternativeSupplierId: z.string().nullable(),
    })
    .nullable(),
  scopeReduction: z
    .strictObject({
      droppedDataElements: z.array(z.string()),
      projectIds: z.array(z.string()),
      responses: z.record(
        z.string(),
        z.strictObject({
          response: z.enum(['ACKNOWLEDGED', 'OBJECTED']),
          comment: z.string().nullable(),
          at: z.string(),
        }),
      ),
      at: z.string(),
    })
    .nullable(),
  droppedDataElements: z.array(z.string()),
  testPlan: z
    .strictObject({
      responsible: z.enum(['SUPPLIER', 'KOMBIT', 'PROJECT']),
      mode: z.enum(['SHARED', 'PER_PROJECT']),
      participantProjectIds: z.array(z.string()),
      windowStart: z.string(),
      windowEnd: z.string(),
    })
    .nullable(),
  testResults: z.record(
    z.string(),
    z.strictObject({
      outcome: z.enum(['PASSED', 'FAILED']),
      notes: z.string().nullable(),
      recordedAt: z.string(),
    }),
  ),
  amendments: z.array(
    z.strictObject({
      requestId: z.string(),
      change: z.enum(['submitted', 'resubmitted', 'withdrawn']),
      at: z.string(),
      previous: z.strictObject({ dataElements: z.array(z.string()), needBy: z.string() }).nullable(),
    }),
  ),
  holdReason: z.string().nullable(),
  reopenOnResume: z.boolean(),
  cancelReason: z.string().nullable(),
  liveDate: z.string().nullable(),
}) satisfies z.ZodType<OrderContext>;

// The outer object is XState's persisted format; its extra keys (output, error) are XState's business.
const storedSnapshotSchema = z.object({
  status: z.enum(['active', 'done']),
  value: stateValueSchema,
  context: contextSchema,
  historyValue: z.record(z.string(), z.array(z.object({ id: z.string() }))).default({}),
  // The machine spawns no actors, so there are never children to restore.
  children: z.strictObject({}).optional(),
});

function reviveSnapshot(stored: unknown): OrderSnapshot {
  const parsed = storedSnapshotSchema.safeParse(stored);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(snapshot)'}: ${issue.message}`,
    );
    throw new SnapshotDoesNotFit(issues.join('; '));
  }
  const { value, context, status } = parsed.data;
  const snapshot = resolveOrNull(value, context, parsed.data.historyValue);
  // resolveState fills in initial children of a partial value; a stored order must name its exact leaf.
  const path = snapshot && statePathOrNull(snapshot);
  if (!snapshot || !path || !LEAF_STATE_PATHS.includes(path) || !sameJson(snapshot.value, value)) {
    throw new SnapshotDoesNotFit(`state value ${JSON.stringify(value)} is not a state an order can be in`);
  }
  if (snapshot.status !== status) {
    throw new SnapshotDoesNotFit(`status ${status} contradicts state ${path}`);
  }
  return snapshot;
}

function resolveOrNull(
  value: StoredStateValue,
  context: OrderContext,
  storedHistory: Record<string, { id: string }[]>,
): OrderSnapshot | null {
  const historyValue = reviveHistory(storedHistory);
  try {
    return orderMachine.resolveState({ value, context, historyValue });
  } catch {
    return null;
  }
}

function statePathOrNull(snapshot: OrderSnapshot): string | null {
  try {
    return statePath(snapshot);
  } catch {
    return null;
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function reviveHistory(stored: Record<string, { id: string }[]>): HistoryValue<OrderContext, OrderEvent> {
  const revived: HistoryValue<OrderContext, OrderEvent> = {};
  for (const [historyId, remembered] of Object.entries(stored)) {
    const historyNode = stateNodeOrNull(historyId);
    if (historyNode?.type !== 'history') throw new SnapshotDoesNotFit(`${historyId} is not a history state`);
    revived[historyId] = remembered.map(({ id }) => {
      const node = stateNodeOrNull(id);
      if (node?.type !== 'atomic')
        throw new SnapshotDoesNotFit(`history remembers ${id}, which is not a leaf state`);
      return node;
    });
  }
  return revived;
}

function stateNodeOrNull(id: string) {
  try {
    return orderMachine.getStateNodeById(id);
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
