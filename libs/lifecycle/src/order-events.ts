import type {
  AmendmentChange,
  OrderSpecification,
  OrderTerms,
  PlanBKind,
  RequestContent,
  ScopeResponseKind,
  SpecificationChange,
  TestOutcome,
  TestPlan,
} from './order-context.js';
import type { OrderCategory } from './parties.js';
import type { Actor } from './roles.js';

export type ReviewDecision = 'APPROVE' | 'REQUEST_CHANGES' | 'REJECT';

export type RequestStatus = 'SUBMITTED' | 'CHANGES_REQUESTED' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN';

/**
 * Facts the service reads from Postgres inside the transition's transaction and
 * hands to the machine; never stored in the snapshot, so they cannot go stale.
 */
export interface OrderFacts {
  /** Requests that are neither REJECTED nor WITHDRAWN. */
  activeRequests: { id: string; projectId: string; status: RequestStatus }[];
  /**
   * Contacts of the supplier the event addresses: the one a SEND_TO_SUPPLIER
   * names (supplierAddressedBy), else the order's current supplier.
   */
  supplierContactCount: number;
}

type NoPayload = Record<never, never>;

/** What each event carries besides its type and the envelope. */
export interface OrderEventPayloads {
  /**
   * A request of this order was submitted, changed or withdrawn. `previous` is the request as
   * it was before, when the order's specification includes it (so a turned-down amendment can
   * restore it).
   */
  REQUESTS_CHANGED: { requestId: string; change: AmendmentChange; previous?: RequestContent | null };
  /** A coordinator's quality review of one request; recorded on the order, never moves it. */
  REVIEW_REQUEST: { requestId: string; decision: ReviewDecision; comment: string | null };
  CONSOLIDATE: { category: OrderCategory; specification: OrderSpecification };
  /**
   * `batchId`: sent together with other orders of the same supplier (bulkSendToSupplier), whose
   * emails are merged into one per recipient.
   */
  SEND_TO_SUPPLIER: {
    recipientContactIds: string[];
    replyBy: string | null;
    supplierId?: string;
    batchId?: string;
  };
  SUPPLIER_ACCEPTS: { note?: string };
  SUPPLIER_PROPOSES: { terms: OrderTerms };
  SUPPLIER_ASKS: { question: string };
  SUPPLIER_DECLINES: { reason: string };
  /**
   * The supplier answered the email in its own words (a reply received by the
   * inbound SMTP receiver). `messageId` is the supplier_message row; the text is
   * there, not in the history, since it may be long and carry attachments.
   */
  SUPPLIER_WROTE: { messageId: string };
  ANSWER_SUPPLIER: { answer: string };
  ACCEPT_PROPOSAL: NoPayload;
  COUNTER_PROPOSAL: { terms: OrderTerms };
  /**
   * `scopeReduction` only with kind REDUCED_SCOPE: the data elements dropped from the
   * specification and the projects whose active request asked for one of them (the service
   * reads those from the requests).
   */
  START_PLAN_B: {
    kind: PlanBKind;
    description: string;
    alternativeSupplierId?: string | null;
    scopeReduction?: { droppedDataElements: string[]; projectIds: string[] } | null;
  };
  /** A project's answer to a reduced scope: it acknowledges, or objects with a comment. */
  RESPOND_TO_SCOPE_REDUCTION: { projectId: string; response: ScopeResponseKind; comment: string | null };
  /**
   * The coordinators send the specification as the requests now stand (their amendments taken
   * in) to the supplier as a new round; `change` is what differs from the previous one.
   */
  SEND_AMENDMENT: {
    specification: OrderSpecification;
    change: SpecificationChange;
    recipientContactIds: string[];
    replyBy: string | null;
    supplierId: string;
  };
  /** The coordinators will not negotiate this request's change; the comment goes to its project. */
  TURN_DOWN_AMENDMENT: { requestId: string; comment: string };
  PLAN_TEST: { plan: TestPlan };
  START_TEST: NoPayload;
  RECORD_TEST_RESULT: { projectId: string; outcome: TestOutcome; notes?: string | null };
  COMPLETE_TEST: NoPayload;
  REQUEST_FIX: { description: string };
  GO_LIVE: { liveDate: string };
  PUT_ON_HOLD: { reason: string };
  RESUME: NoPayload;
  CANCEL: { reason: string };
  /** The worker sent a reminder of the current deadline (history only). */
  REMINDER_SENT: { scheduleVersion: number; step: number; kind: 'BEFORE_DUE' | 'ON_DUE' | 'OVERDUE' };
  /** The worker escalated an overdue order to the coordinators (history only). */
  ESCALATE: { scheduleVersion: number; step: number; level: number };
  /** A coordinator moves the current state's deadline; reminders follow the new date. */
  EXTEND_DEADLINE: { dueAt: string; reason: string };
}

export type OrderEventType = keyof OrderEventPayloads;

// Order follows the lifecycle, so lists built from it (allowed events, diagram legends) read naturally.
export const ORDER_EVENT_TYPES = [
  'REQUESTS_CHANGED',
  'REVIEW_REQUEST',
  'CONSOLIDATE',
  'SEND_TO_SUPPLIER',
  'SUPPLIER_ACCEPTS',
  'SUPPLIER_PROPOSES',
  'SUPPLIER_ASKS',
  'SUPPLIER_DECLINES',
  'SUPPLIER_WROTE',
  'ANSWER_SUPPLIER',
  'ACCEPT_PROPOSAL',
  'COUNTER_PROPOSAL',
  'START_PLAN_B',
  'RESPOND_TO_SCOPE_REDUCTION',
  'SEND_AMENDMENT',
  'TURN_DOWN_AMENDMENT',
  'PLAN_TEST',
  'START_TEST',
  'RECORD_TEST_RESULT',
  'COMPLETE_TEST',
  'REQUEST_FIX',
  'GO_LIVE',
  'PUT_ON_HOLD',
  'RESUME',
  'CANCEL',
  'EXTEND_DEADLINE',
  'REMINDER_SENT',
  'ESCALATE',
] as const satisfies readonly OrderEventType[];

// Fails to compile when an event type is added to the payloads but not to ORDER_EVENT_TYPES.
type MissingFromOrderEventTypes = Exclude<OrderEventType, (typeof ORDER_EVENT_TYPES)[number]>;
const everyEventTypeListed: MissingFromOrderEventTypes extends never ? true : never = true;
void everyEventTypeListed;

/** Added by the caller to every event: who sends it, what the database says, and when. */
export interface OrderEventEnvelope {
  actor: Actor;
  facts: OrderFacts;
  /** ISO instant from the caller's clock, so the machine stays pure. */
  at: string;
}

/** An event as a caller builds it, before the envelope is added: `{ type, ...payload }`. */
export type OrderEventPayload<T extends OrderEventType = OrderEventType> = T extends OrderEventType
  ? { type: T } & OrderEventPayloads[T]
  : never;

export type OrderEventOf<T extends OrderEventType> = OrderEventPayload<T> & OrderEventEnvelope;

export type OrderEvent = OrderEventOf<OrderEventType>;
