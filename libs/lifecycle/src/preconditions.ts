import { assertEvent } from 'xstate';
import { type OrderContext, outstandingScopeResponses } from './order-context.js';
import type { OrderEvent, OrderEventPayload, OrderEventType } from './order-events.js';

/**
 * The only events whose guards read the facts (requests, supplier contacts).
 * The write path loads facts for these alone; a test checks that every other
 * event decides the same with and without facts.
 */
export const EVENTS_READING_FACTS: ReadonlySet<OrderEventType> = new Set([
  'CONSOLIDATE',
  'SEND_TO_SUPPLIER',
  'SEND_AMENDMENT',
]);

/**
 * The supplier whose contacts the facts must count for this event, when it is
 * not the order's own: a SEND_TO_SUPPLIER may name another supplier (plan B),
 * and it is that supplier who must have someone to email, not the order's.
 * Null means the order's current supplier.
 */
export function supplierAddressedBy(event: OrderEventPayload): string | null {
  if (event.type === 'SEND_TO_SUPPLIER' || event.type === 'SEND_AMENDMENT') return event.supplierId ?? null;
  return null;
}

/**
 * A precondition returns, in plain English, why it does not hold, or null when
 * it does. The machine's guards are these checks reduced to booleans; keeping
 * the reason next to the rule lets a refused transition say exactly what is
 * missing instead of just "not allowed".
 */
export type Precondition = (context: OrderContext, event: OrderEvent) => string | null;

function allActiveRequestsApproved(event: OrderEvent, step: string): string | null {
  const requests = event.facts.activeRequests;
  if (requests.length === 0) {
    return `${capitalised(step)} needs at least one active request, and the order has none`;
  }
  const approved = requests.filter((request) => request.status === 'APPROVED').length;
  if (approved === requests.length) return null;
  return `All active requests must be approved before ${step} (${approved} of ${requests.length} approved)`;
}

// The facts count the contacts of the supplier this event is sent to (see supplierAddressedBy).
function supplierHasContact(event: OrderEvent): string | null {
  return event.facts.supplierContactCount > 0
    ? null
    : 'The supplier has no contact to email: add a supplier contact before sending the order';
}

function scopeResponseAwaited(context: OrderContext, event: OrderEvent): string | null {
  assertEvent(event, 'RESPOND_TO_SCOPE_REDUCTION');
  const outstanding = outstandingScopeResponses(context);
  if (!outstanding.includes(event.projectId)) {
    const named = context.scopeReduction?.projectIds.includes(event.projectId) ?? false;
    return named
      ? `Project ${event.projectId} has already answered the reduced scope`
      : `Project ${event.projectId} is not asked to answer the reduced scope (asked: ${listOrNone(context.scopeReduction?.projectIds ?? [])})`;
  }
  if (event.response === 'OBJECTED' && !event.comment?.trim()) {
    return 'An objection to a reduced scope needs a comment saying why';
  }
  return null;
}

export const PRECONDITIONS = {
  allActiveRequestsApproved: (_context, event) => allActiveRequestsApproved(event, 'consolidation'),

  supplierHasContact: (_context, event) => supplierHasContact(event),

  /** A reduced scope that takes an element from some project's request waits for their answers. */
  scopeReductionAwaitsProjects: (_context, event) => {
    assertEvent(event, 'START_PLAN_B');
    return event.kind === 'REDUCED_SCOPE' && (event.scopeReduction?.projectIds.length ?? 0) > 0
      ? null
      : 'The plan B drops no data element any project asked for, so nobody needs to acknowledge it';
  },

  scopeResponseAwaited,

  /** This answer is the last one outstanding: the order moves on with it. */
  lastScopeResponse: (context, event) => {
    const awaited = scopeResponseAwaited(context, event);
    if (awaited !== null) return awaited;
    const others = outstandingScopeResponses(context).filter(
      (projectId) => event.type === 'RESPOND_TO_SCOPE_REDUCTION' && projectId !== event.projectId,
    );
    return others.length === 0 ? null : `Still waiting for the answers of ${others.join(', ')}`;
  },

  /**
   * A changed specification goes to the supplier only when there is a change, every request
   * it is built from passed quality review, and the supplier has someone to email.
   */
  amendmentReady: (context, event) => {
    if (context.amendments.length === 0) {
      return 'No request has changed since the specification went to the supplier: there is no amendment to send';
    }
    return allActiveRequestsApproved(event, 'an amended specification is sent') ?? supplierHasContact(event);
  },

  amendmentPending: (context, event) => {
    assertEvent(event, 'TURN_DOWN_AMENDMENT');
    const pending = [...new Set(context.amendments.map((amendment) => amendment.requestId))];
    return pending.includes(event.requestId)
      ? null
      : `Request ${event.requestId} has no change waiting for a decision (pending: ${listOrNone(pending)})`;
  },

  testPlanHasParticipants: (_context, event) => {
    assertEvent(event, 'PLAN_TEST');
    return event.plan.participantProjectIds.length > 0
      ? null
      : 'A test plan must name at least one participating project';
  },

  resultIsForParticipant: (context, event) => {
    assertEvent(event, 'RECORD_TEST_RESULT');
    const participants = context.testPlan?.participantProjectIds ?? [];
    if (participants.includes(event.projectId)) return null;
    return `Project ${event.projectId} does not take part in this test (participants: ${listOrNone(participants)})`;
  },

  allTestResultsPassed: (context) => {
    const participants = context.testPlan?.participantProjectIds ?? [];
    const missing = participants.filter((projectId) => !context.testResults[projectId]);
    const failed = participants.filter((projectId) => context.testResults[projectId]?.outcome === 'FAILED');
    if (participants.length > 0 && missing.length === 0 && failed.length === 0) return null;
    return (
      'Every participating project must have a PASSED test result before the test is complete ' +
      `(missing: ${listOrNone(missing)}; failed: ${listOrNone(failed)})`
    );
  },

  someTestResultFailed: (context) =>
    Object.values(context.testResults).some((result) => result.outcome === 'FAILED')
      ? null
      : 'A fix can only be requested when at least one test result has FAILED, and none has',
} satisfies Record<string, Precondition>;

export type PreconditionName = keyof typeof PRECONDITIONS;

export function isPreconditionName(name: unknown): name is PreconditionName {
  return typeof name === 'string' && Object.hasOwn(PRECONDITIONS, name);
}

/** A precondition as the machine's guard: true when it holds. */
export function holds(precondition: Precondition) {
  return ({ context, event }: { context: OrderContext; event: OrderEvent }): boolean =>
    precondition(context, event) === null;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function listOrNone(items: readonly string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}
