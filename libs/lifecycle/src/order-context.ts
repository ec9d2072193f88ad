import type { OrderCategory, TestResponsible } from './parties.js';

/** The consolidated need: what goes to the supplier. */
export interface OrderSpecification {
  dataElements: string[];
  /** YYYY-MM-DD: the earliest need date among the consolidated requests. */
  needBy: string;
  projectIds: string[];
  requestIds: string[];
}

/**
 * What a changed specification changed, against the one the supplier had before: shown to the
 * supplier in the email and on the reply page of the round that sends it.
 */
export interface SpecificationChange {
  /** Data element codes the new specification adds, sorted. */
  added: string[];
  /** Data element codes it removes, sorted. */
  removed: string[];
  /** The need-by date (YYYY-MM-DD) before and after, or null when it did not move. */
  needBy: { from: string; to: string } | null;
}

export interface Negotiation {
  /** 1 for the first email to a supplier, +1 for every resend or fix request. */
  round: number;
  supplierId: string;
  recipientContactIds: string[];
  replyBy: string | null;
  /** Set on a round that sends an amended specification (SEND_AMENDMENT); null otherwise. */
  change: SpecificationChange | null;
}

export interface OrderTerms {
  /** Integer øre as a decimal string, so amounts above 2^53 øre stay exact. */
  priceOere: string | null;
  deliveryDate: string | null;
  conditions: string | null;
}

export type PlanBKind = 'OTHER_SOURCE' | 'WORKAROUND' | 'REDUCED_SCOPE';

export type ScopeResponseKind = 'ACKNOWLEDGED' | 'OBJECTED';

export interface ScopeResponse {
  response: ScopeResponseKind;
  /** Required for an objection: why the project cannot live with the reduced scope. */
  comment: string | null;
  at: string;
}

/**
 * A plan B with a reduced scope: the data elements it drops from the specification, and the
 * projects whose request asked for one of them. Each of those must acknowledge or object
 * before the order can go on (the domain page, step 6: "a reduced scope").
 */
export interface ScopeReduction {
  droppedDataElements: string[];
  /** Projects whose active request loses at least one dropped element. */
  projectIds: string[];
  /** Keyed by project id; complete when every project in projectIds has one. */
  responses: Record<string, ScopeResponse>;
  at: string;
}

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
  /**
   * The request as it was before this change (null for a new request, or as recorded by machine
   * version 3). A request's first pending amendment thus holds what the specification was built
   * from; turning the change down restores that.
   */
  previous: RequestContent | null;
}

/** What a request asks for: enough to put it back as it was. */
export interface RequestContent {
  dataElements: string[];
  needBy: string;
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
  /** The latest reduced-scope plan B and the projects' answers to it. */
  scopeReduction: ScopeReduction | null;
  /**
   * Every data element a reduced scope has dropped from this order, across plan Bs: an
   * amended specification leaves them out, since the supplier cannot deliver them.
   */
  droppedDataElements: string[];
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
    scopeReduction: null,
    droppedDataElements: [],
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

/** The projects of a reduced scope that have not answered it yet, in the order they were named. */
export function outstandingScopeResponses(context: Pick<OrderContext, 'scopeReduction'>): string[] {
  const reduction = context.scopeReduction;
  if (!reduction) return [];
  return reduction.projectIds.filter((projectId) => !reduction.responses[projectId]);
}

/** What changes between two specifications, as a supplier needs to see it. */
export function specificationChange(
  before: Pick<OrderSpecification, 'dataElements' | 'needBy'> | null,
  after: Pick<OrderSpecification, 'dataElements' | 'needBy'>,
): SpecificationChange {
  const old = new Set(before?.dataElements ?? []);
  const now = new Set(after.dataElements);
  return {
    added: [...now].filter((code) => !old.has(code)).sort(),
    removed: [...old].filter((code) => !now.has(code)).sort(),
    needBy: before && before.needBy !== after.needBy ? { from: before.needBy, to: after.needBy } : null,
  };
}
