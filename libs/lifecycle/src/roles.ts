import type { OrderEvent, OrderEventType } from './order-events.js';

export type Role = 'coordinator' | 'project' | 'admin' | 'supplier' | 'system';

export interface Actor {
  id: string;
  role: Role;
  /** Set for project users: the project they act for. */
  projectId?: string | null;
  displayName?: string;
}

// An admin may do everything a coordinator may; listing them together keeps that true by construction.
const COORDINATION: readonly Role[] = ['coordinator', 'admin'];
// Suppliers answer through email links without an account; a coordinator may record an answer given by phone or mail.
const SUPPLIER_ANSWER: readonly Role[] = ['supplier', ...COORDINATION];

/** Which roles may send which event. The single place where roles are decided. */
export const EVENT_ROLES: Readonly<Record<OrderEventType, readonly Role[]>> = {
  REQUESTS_CHANGED: ['project', ...COORDINATION, 'system'],
  REVIEW_REQUEST: COORDINATION,
  CONSOLIDATE: COORDINATION,
  SEND_TO_SUPPLIER: COORDINATION,
  SUPPLIER_ACCEPTS: SUPPLIER_ANSWER,
  SUPPLIER_PROPOSES: SUPPLIER_ANSWER,
  SUPPLIER_ASKS: SUPPLIER_ANSWER,
  SUPPLIER_DECLINES: SUPPLIER_ANSWER,
  // Only the receiver of the supplier's email records it, as the recipient; a coordinator
  // who accepts a held message has it recorded the same way (the message row says who accepted).
  SUPPLIER_WROTE: ['supplier'],
  ANSWER_SUPPLIER: COORDINATION,
  ACCEPT_PROPOSAL: COORDINATION,
  COUNTER_PROPOSAL: COORDINATION,
  START_PLAN_B: COORDINATION,
  // A project answers only for itself (see projectBindingRefusal); a coordinator may record an answer given by phone.
  RESPOND_TO_SCOPE_REDUCTION: [...COORDINATION, 'project'],
  SEND_AMENDMENT: COORDINATION,
  TURN_DOWN_AMENDMENT: COORDINATION,
  PLAN_TEST: COORDINATION,
  START_TEST: COORDINATION,
  // A project records only its own result; see projectBindingRefusal.
  RECORD_TEST_RESULT: [...COORDINATION, 'project'],
  COMPLETE_TEST: COORDINATION,
  REQUEST_FIX: COORDINATION,
  GO_LIVE: COORDINATION,
  PUT_ON_HOLD: COORDINATION,
  RESUME: COORDINATION,
  CANCEL: COORDINATION,
  EXTEND_DEADLINE: COORDINATION,
  // Only the worker reminds and escalates, from the deadlines in Postgres.
  REMINDER_SENT: ['system'],
  ESCALATE: ['system'],
};

/** Why this actor may not send this event, or null when it may. */
export function roleRefusal(event: OrderEvent): string | null {
  const allowedRoles: readonly Role[] = EVENT_ROLES[event.type] ?? [];
  const role = event.actor.role;
  if (!allowedRoles.includes(role)) {
    const allowed = allowedRoles.length > 0 ? allowedRoles.join(', ') : 'nobody';
    return `The role ${role} may not send ${event.type} (allowed: ${allowed})`;
  }
  return projectBindingRefusal(event);
}

// Events a project user may send only for its own project, and what the refusal calls them.
const PROJECT_BOUND: Partial<Record<OrderEventType, { one: string; many: string; noun: string }>> = {
  RECORD_TEST_RESULT: { one: 'record a test result', many: 'record test results', noun: 'result' },
  RESPOND_TO_SCOPE_REDUCTION: {
    one: 'answer a reduced scope',
    many: 'answer a reduced scope',
    noun: 'answer',
  },
};

function projectBindingRefusal(event: OrderEvent): string | null {
  if (event.actor.role !== 'project') return null;
  if (event.type !== 'RECORD_TEST_RESULT' && event.type !== 'RESPOND_TO_SCOPE_REDUCTION') return null;
  const what = PROJECT_BOUND[event.type];
  const ownProjectId = event.actor.projectId ?? null;
  if (ownProjectId === event.projectId || !what) return null;
  return ownProjectId === null
    ? `A project user must belong to a project to ${what.one} (${what.noun} for project ${event.projectId})`
    : `A project may ${what.many} only for itself (user of project ${ownProjectId}, ${what.noun} for project ${event.projectId})`;
}
