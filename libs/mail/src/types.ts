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
  | 'SUPPLIER_COUNTER_PROPOSAL'
  | 'SUPPLIER_ANSWER'
  | 'SUPPLIER_REMINDER'
  | 'COORDINATOR_ESCALATION'
  | 'COORDINATOR_SUPPLIER_REPLIED'
  | 'COORDINATOR_REMINDER';

export const EMAIL_TEMPLATES: readonly EmailTemplate[] = [
  'SUPPLIER_ORDER',
  'SUPPLIER_COUNTER_PROPOSAL',
  'SUPPLIER_ANSWER',
  'SUPPLIER_REMINDER',
  'COORDINATOR_ESCALATION',
  'COORDINATOR_SUPPLIER_REPLIED',
  'COORDINATOR_REMINDER',
];

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
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}
