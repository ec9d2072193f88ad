import type { OrderCategory, TestResponsible } from './parties.js';

/** The consolidated need: what goes to the supplier. */
export interface OrderSpecification {
  dataElements: string[];
  /** YYYY-MM-DD: the earliest need date among the consolidated requests. */
  needBy: string;
  projectIds: string[];
  requestIds: string[];
}

export interface Negotiation {
  /** 1 for the first email to a supplier, +1 for every resend or fix request. */
  round: number;
  supplierId: string;
  recipientContactIds: string[];
  replyBy: string | null;
}

export interface OrderTerms {
  /** Integer øre as a decimal string, so amounts above 2^53 øre stay exact. */
  priceOere: string | null;
  deliveryDate: string | null;
  conditions: string | null;
}

export type PlanBKind = 'OTHER_SOURCE' | 'WORKAROUND' | 'REDUCED_SCOPE';

export interface PlanB {
  kind: PlanBKind;
  description: string;
  alternativeSupplierId: string | null;
}

export type TestMode = 'SHARED' | 'PER_PROJECT';

export interface TestPlan {
  responsible: TestResponsible;
  mode: TestMode;
  participantProjectIds: string[];
  windowStart: string;
  windowEnd: string;
}

export type TestOutcome = 'PASSED' | 'FAILED';

export interface TestResult {
  outcome: TestOutcome;
  notes: string | null;
  recordedAt: string;
}

export type AmendmentChange = 'submitted' | 'resubmitted' | 'withdrawn';

/** A request that changed after the supplier was engaged: a change to negotiate, not a reason to start over. */
export interface Amendment {
  requestId: string;
  change: AmendmentChange;
  at: string;
}

export interface OrderInput {
  orderId: string;
  interfaceKey: string;
  supplierId: string;
}

export interface OrderContext {
  orderId: string;
  interfaceKey: string;
  /** The interface's source supplier; a negotiation may be held with another one (plan B). */
  supplierId: string;
  category: OrderCategory | null;
  specification: OrderSpecification | null;
  negotiation: Negotiation | null;
  /** The terms on the table, from either side. */
  proposal: OrderTerms | null;
  agreedTerms: OrderTerms | null;
  openQuestion: string | null;
  declineReason: string | null;
  planB: PlanB | null;
  testPlan: TestPlan | null;
  /** Keyed by project id. */
  testResults: Record<string, TestResult>;
  amendments: Amendment[];
  holdReason: string | null;
  /**
   * A request changed while the order was on hold before the supplier was
   * engaged: resuming reopens it (ordered) instead of returning where it was.
   */
  reopenOnResume: boolean;
  cancelReason: string | null;
  liveDate: string | null;
}

export function initialOrderContext(input: OrderInput): OrderContext {
  return {
    orderId: input.orderId,
    interfaceKey: input.interfaceKey,
    supplierId: input.supplierId,
    category: null,
    specification: null,
    negotiation: null,
    proposal: null,
    agreedTerms: null,
    openQuestion: null,
    declineReason: null,
    planB: null,
    testPlan: null,
    testResults: {},
    amendments: [],
    holdReason: null,
    reopenOnResume: false,
    cancelReason: null,
    liveDate: null,
  };
}

/**
 * Whether the supplier is engaged, as the lifecycle counts it: the order was
 * sent to a supplier or turned to plan B, i.e. it is past consolidated. Only
 * ordered and consolidated have neither, and neither is ever cleared, so the
 * context tells even on hold, when the state no longer does.
 */
export function supplierEngaged(context: { negotiation: unknown; planB: unknown }): boolean {
  return context.negotiation !== null || context.planB !== null;
}

/**
 * Whom a send goes to when the coordinator names no supplier: plan B's alternative when
 * plan B chose one, else the supplier of the last negotiation, else the source supplier.
 */
export function defaultSupplierOf(
  context: Pick<OrderContext, 'planB' | 'negotiation' | 'supplierId'>,
): string {
  return context.planB?.alternativeSupplierId ?? context.negotiation?.supplierId ?? context.supplierId;
}
