export type Language = 'da' | 'en';

export const LANGUAGES: readonly Language[] = ['da', 'en'];

export function isLanguage(value: unknown): value is Language {
  return value === 'da' || value === 'en';
}

/** The consolidated interface order as a supplier or coordinator sees it. */
export interface OrderSummary {
  /** The order's reference, e.g. `B-00042`. */
  reference: string;
  /** e.g. `SF0800`. */
  interfaceKey: string;
  /** The Danish title of the interface, e.g. `Feriekonto online opslag`. */
  interfaceTitle: string;
  dataElements: { code: string; name: string }[];
  /** YYYY-MM-DD, the earliest need date of the consolidated requests. */
  needBy: string | null;
  /** Names of the requesting projects. */
  projects: string[];
  /** YYYY-MM-DD, the deadline for the supplier's answer. */
  replyBy: string | null;
  supplierName: string;
  /**
   * While the supplier is asked to answer an amended specification (a round sent with
   * sendAmendment): what it changes against the specification the supplier had. Null otherwise.
   */
  change?: SpecificationChangeSummary | null;
}

/** What an amended specification changed, as the supplier reads it (from the order's current round). */
export interface SpecificationChangeSummary {
  added: { code: string; name: string }[];
  removed: { code: string; name: string }[];
  /** YYYY-MM-DD before and after, both null when the need-by date did not move. */
  needByFrom: string | null;
  needByTo: string | null;
}

/** Terms of a proposal, from either side of the negotiation. */
export interface Terms {
  /** Integer øre as a decimal string (exact; amounts may exceed Number.MAX_SAFE_INTEGER). */
  priceOere: string | null;
  /** YYYY-MM-DD. */
  deliveryDate: string | null;
  conditions: string | null;
}

export type SupplierReplyKind = 'ACCEPT' | 'PROPOSE' | 'ASK' | 'DECLINE';

export type EmailTemplate =
  | 'SUPPLIER_ORDER'
  /** Several orders to the same supplier sent together (bulkSendToSupplier): one email per recipient. */
  | 'SUPPLIER_ORDERS'
  | 'SUPPLIER_COUNTER_PROPOSAL'
  | 'SUPPLIER_ANSWER'
  | 'SUPPLIER_REMINDER'
  | 'COORDINATOR_ESCALATION'
  | 'COORDINATOR_SUPPLIER_REPLIED'
  | 'COORDINATOR_SUPPLIER_EMAIL'
  | 'COORDINATOR_REMINDER'
  /** A project objected to a reduced scope (plan B): who, and its objection. */
  | 'COORDINATOR_SCOPE_OBJECTION'
  | 'PROJECT_UPDATE';

export const EMAIL_TEMPLATES: readonly EmailTemplate[] = [
  'SUPPLIER_ORDER',
  'SUPPLIER_ORDERS',
  'SUPPLIER_COUNTER_PROPOSAL',
  'SUPPLIER_ANSWER',
  'SUPPLIER_REMINDER',
  'COORDINATOR_ESCALATION',
  'COORDINATOR_SUPPLIER_REPLIED',
  'COORDINATOR_SUPPLIER_EMAIL',
  'COORDINATOR_REMINDER',
  'COORDINATOR_SCOPE_OBJECTION',
  'PROJECT_UPDATE',
];

/**
 * What came back by email (COORDINATOR_SUPPLIER_EMAIL): a reply in the current round, a late
 * one, one held because it came from another address, an automatic reply (away), a bounce.
 */
export type SupplierEmailKind = 'REPLY' | 'LATE' | 'HELD' | 'AWAY' | 'BOUNCED';

export const SUPPLIER_EMAIL_KINDS: readonly SupplierEmailKind[] = [
  'REPLY',
  'LATE',
  'HELD',
  'AWAY',
  'BOUNCED',
];

export interface SupplierEmailNotice {
  kind: SupplierEmailKind;
  /** Who wrote, "Name (address)"; for BOUNCED the address that does not work. */
  from: string;
  /** The new text of the email; for BOUNCED the reason the mail server gave. */
  text: string | null;
  /** YYYY-MM-DD: until when the contact is away (AWAY, when the message says). */
  awayUntil: string | null;
}

/** Who an email is for; it picks the sign-off and how the answer deadline is labelled. */
export type EmailAudience = 'supplier' | 'coordinator' | 'project';

export function audienceOf(template: EmailTemplate): EmailAudience {
  if (template.startsWith('SUPPLIER_')) return 'supplier';
  if (template.startsWith('PROJECT_')) return 'project';
  return 'coordinator';
}

/** What a project is told about (PROJECT_UPDATE). */
export type ProjectNoticeKind =
  | 'REQUEST_APPROVED'
  | 'REQUEST_CHANGES_REQUESTED'
  | 'REQUEST_REJECTED'
  | 'SUPPLIER_AGREED'
  | 'PLAN_B'
  | 'TEST_PLANNED'
  | 'LIVE'
  | 'CANCELLED'
  /** A reminder: the test is running and this project's result is due (or overdue). */
  | 'TEST_RESULT_DUE'
  /** A plan B reduced the scope; a project that lost an element must acknowledge or object. */
  | 'SCOPE_REDUCED'
  /** A reminder: this project has not answered the reduced scope yet. */
  | 'SCOPE_ANSWER_DUE'
  /** The coordinators will not negotiate this project's change to its request. */
  | 'AMENDMENT_TURNED_DOWN'
  /**
   * The coordinators sent the specification as the requests now stand (a project's change taken
   * in) to the supplier as a new round; `change` says what changed, `date` the reply-by date.
   */
  | 'AMENDMENT_SENT';

export const PROJECT_NOTICE_KINDS: readonly ProjectNoticeKind[] = [
  'REQUEST_APPROVED',
  'REQUEST_CHANGES_REQUESTED',
  'REQUEST_REJECTED',
  'SUPPLIER_AGREED',
  'PLAN_B',
  'TEST_PLANNED',
  'LIVE',
  'CANCELLED',
  'TEST_RESULT_DUE',
  'SCOPE_REDUCED',
  'SCOPE_ANSWER_DUE',
  'AMENDMENT_TURNED_DOWN',
  'AMENDMENT_SENT',
];

export interface ProjectNotice {
  kind: ProjectNoticeKind;
  /** The project the notice is for, e.g. "Kommunernes Ydelsessystem (KY)". */
  projectName: string;
  /** The coordinators' review comment, the reason (rejected, cancelled) or the plan B. */
  text: string | null;
  /**
   * YYYY-MM-DD: the agreed delivery date (SUPPLIER_AGREED), the live date (LIVE) or the
   * deadline for the test result (TEST_RESULT_DUE), the supplier's reply-by date of an amended
   * round (AMENDMENT_SENT, null when none was set).
   */
  date: string | null;
  /** YYYY-MM-DD: the test window (TEST_PLANNED). */
  windowStart: string | null;
  windowEnd: string | null;
  /**
   * Whether this project takes part: in the planned test (TEST_PLANNED), or among the projects
   * that must answer a reduced scope because their request lost an element (SCOPE_REDUCED).
   */
  takesPart: boolean | null;
  /** Data elements, as "CODE, CODE": those a reduced scope drops (SCOPE_REDUCED). */
  elements?: string | null;
  /**
   * What an amended specification sent to the supplier changes (AMENDMENT_SENT): elements as
   * "CODE Name, …" (null when none), need-by dates YYYY-MM-DD before and after (null when unmoved).
   */
  change?: ProjectNoticeChange | null;
}

export interface ProjectNoticeChange {
  added: string | null;
  removed: string | null;
  needByFrom: string | null;
  needByTo: string | null;
}

export interface EmailData {
  order: OrderSummary;
  recipientName: string;
  /**
   * The one link in the email, absolute http(s): the reply page for a supplier, the order in
   * snitflow for a coordinator. Required for supplier templates.
   */
  replyUrl?: string;
  /** Proposed terms: the coordinators' (counter-proposal) or the supplier's (replied, reminder). */
  terms?: Terms;
  /** The coordinators' answer to the supplier's question (SUPPLIER_ANSWER, required there). */
  answer?: string;
  /** The supplier's question being answered (SUPPLIER_ANSWER). */
  question?: string;
  /** 1 for the first reminder; for an escalation, how many reminders went unanswered. */
  reminderNumber?: number;
  /** What the supplier answered (COORDINATOR_SUPPLIER_REPLIED, required there). */
  supplierReply?: { kind: SupplierReplyKind; by: string; text: string | null };
  overdueBusinessDays?: number;
  /** What the supplier must fix after a failed test (SUPPLIER_ORDER of a fix round). */
  fixDescription?: string;
  /** What came back by email (COORDINATOR_SUPPLIER_EMAIL, required there). */
  supplierEmail?: SupplierEmailNotice;
  /**
   * SUPPLIER_ORDERS (required there, two or more): every order of the email, each with its own
   * reply link; `order` and `replyUrl` are the first of them.
   */
  batch?: { order: OrderSummary; replyUrl: string }[];
  /** What changed for the project (PROJECT_UPDATE, required there). */
  projectNotice?: ProjectNotice;
  /** A project's objection to a reduced scope (COORDINATOR_SCOPE_OBJECTION, required there). */
  scopeObjection?: ScopeObjection;
}

/** A project objected to the reduced scope of a plan B (RESPOND_TO_SCOPE_REDUCTION, OBJECTED). */
export interface ScopeObjection {
  /** The objecting project, e.g. "Kommunernes Ydelsessystem (KY)". */
  projectName: string;
  /** Who recorded it: the project's user, or a coordinator on its behalf. */
  by: string;
  /** The project's comment (an objection always has one). */
  text: string;
  /** The data elements the reduced scope drops, as "CODE, CODE". */
  elements: string | null;
  /** How many projects have still not answered; 0 when this was the last answer (plan B goes on). */
  stillAwaiting: number;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}
