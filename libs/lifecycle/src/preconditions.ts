import { assertEvent } from 'xstate';
import type { OrderContext } from './order-context.js';
import type { OrderEvent, OrderEventPayload, OrderEventType } from './order-events.js';

/**
 * The only events whose guards read the facts (requests, supplier contacts).
 * The write path loads facts for these alone; a test checks that every other
 * event decides the same with and without facts.
 */
export const EVENTS_READING_FACTS: ReadonlySet<OrderEventType> = new Set(['CONSOLIDATE', 'SEND_TO_SUPPLIER']);

/**
 * The supplier whose contacts the facts must count for this event, when it is
 * not the order's own: a SEND_TO_SUPPLIER may name another supplier (plan B),
 * and it is that supplier who must have someone to email, not the order's.
 * Null means the order's current supplier.
 */
export function supplierAddressedBy(event: OrderEventPayload): string | null {
  return event.type === 'SEND_TO_SUPPLIER' ? (event.supplierId ?? null) : null;
}

/**
 * A precondition returns, in plain English, why it does not hold, or null when
 * it does. The machine's guards are these checks reduced to booleans; keeping
 * the reason next to the rule lets a refused transition say exactly what is
 * missing instead of just "not allowed".
 */
export type Precondition = (context: OrderContext, event: OrderEvent) => string | null;

export const PRECONDITIONS = {
  allActiveRequestsApproved: (_context, event) => {
    const requests = event.facts.activeRequests;
    if (requests.length === 0) {
      return 'Consolidation needs at least one active request, and the order has none';
    }
    const approved = requests.filter((request) => request.status === 'APPROVED').length;
    if (approved === requests.length) return null;
    return `All active requests must be approved before consolidation (${approved} of ${requests.length} approved)`;
  },

  // The facts count the contacts of the supplier this event is sent to (see supplierAddressedBy).
  supplierHasContact: (_context, event) =>
    event.facts.supplierContactCount > 0
      ? null
      : 'The supplier has no contact to email: add a supplier contact before sending the order',

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

function listOrNone(items: readonly string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}
