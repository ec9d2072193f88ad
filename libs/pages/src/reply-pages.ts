import {
  cleanLine,
  cleanMultiline,
  formatDate,
  isIsoDate,
  isLanguage,
  type Language,
  type OrderSummary,
  REPLY_TEXT_MAX_LENGTH,
  type ReplyFormField,
  type ReplyFormValues,
  type Terms,
} from '@snitflow/mail';
import { PageInputError } from './errors.js';
import { loadPageEngine, pageHeaders, pageStyleHash, type RenderedPage, renderPage } from './page-engine.js';

/**
 * The supplier's reply page and the status pages after it (templates/reply): plain
 * server-rendered HTML that works without JavaScript. This module only checks and shapes the
 * data; the markup is in the Liquid templates, the words in templates/reply/labels.<lang>.json.
 */

export interface ReplyPageView {
  language: Language;
  order: OrderSummary;
  recipientName: string;
  /** Where the form POSTs; relative or absolute http(s) (behind a proxy: with its path prefix). */
  formAction: string;
  csrfToken: string;
  /** A question on the order that is still open, shown above the form. */
  openQuestion?: string | null;
  /** The coordinators' current proposal; "accept" then means accepting these terms. */
  proposal?: Terms | null;
  /** Messages (already in `language`) from a rejected POST, shown above the form. */
  errors?: string[];
  /** What the supplier typed, re-filled after a rejected POST so nothing has to be retyped. */
  values?: ReplyFormValues;
  /** The GET address of this page, for the language switch; defaults to formAction. */
  pageUrl?: string;
}

export type ReplyStatusKind =
  | 'THANKS'
  | 'ALREADY_ANSWERED'
  /** Another recipient of the same round answered first. */
  | 'ANSWERED_BY_COLLEAGUE'
  | 'EXPIRED'
  | 'RETIRED'
  /** The order is paused; the same link works again when it resumes. */
  | 'ON_HOLD'
  /** The order moved on without this link (answered by phone, plan B, cancelled). */
  | 'CLOSED'
  /**
   * The recipient answered the email itself (a reply recorded as SUPPLIER_WROTE), which ended the
   * round: the page says the email was received, and when (`options.receivedOn`).
   */
  | 'EMAIL_RECEIVED'
  | 'INVALID'
  | 'RATE_LIMITED';

export const REPLY_STATUS_KINDS: readonly ReplyStatusKind[] = [
  'THANKS',
  'ALREADY_ANSWERED',
  'ANSWERED_BY_COLLEAGUE',
  'EXPIRED',
  'RETIRED',
  'ON_HOLD',
  'CLOSED',
  'EMAIL_RECEIVED',
  'INVALID',
  'RATE_LIMITED',
];

/** The HTTP status that fits each page, so every controller answers the same way. */
export const REPLY_STATUS_HTTP: Record<ReplyStatusKind, number> = {
  THANKS: 200,
  ALREADY_ANSWERED: 409,
  ANSWERED_BY_COLLEAGUE: 409,
  EXPIRED: 410,
  RETIRED: 410,
  ON_HOLD: 409,
  CLOSED: 410,
  // Answered, by email instead of through the link: as a link already used.
  EMAIL_RECEIVED: 409,
  INVALID: 404,
  RATE_LIMITED: 429,
};

/** The headers of every reply page, the error page included (strict CSP with the style hash). */
export function replyPageHeaders(): Readonly<Record<string, string>> {
  return pageHeaders('reply');
}

/** The CSP source of the reply pages' one style block (`'sha256-…'`, quotes included). */
export function replyPageStyleHash(): string {
  return pageStyleHash('reply');
}

function assertSafeUrl(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new PageInputError(`${what} must be a URL`);
  let url: URL;
  try {
    url = new URL(value, 'https://relative.invalid/');
  } catch {
    throw new PageInputError(`${what} must be a URL`);
  }
  // A javascript: or data: URL as form action or link would run script on submit or click.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PageInputError(`${what} must be a relative or http(s) URL`);
  }
  return value;
}

const FORM_FIELDS: readonly (ReplyFormField | 'answer')[] = [
  'answer',
  'note',
  'priceKroner',
  'deliveryDate',
  'conditions',
  'question',
  'reason',
];

function orderData(order: OrderSummary) {
  if (typeof order !== 'object' || order === null) throw new PageInputError('order must be an object');
  return {
    reference: cleanLine(String(order.reference)),
    interfaceKey: cleanLine(String(order.interfaceKey)),
    supplierName: cleanLine(String(order.supplierName)),
    needBy: order.needBy ?? null,
    replyBy: order.replyBy ?? null,
    projects: order.projects.map((p) => cleanLine(p)),
    dataElements: order.dataElements.map((e) => ({ code: cleanLine(e.code), name: cleanLine(e.name) })),
    change: order.change
      ? {
          added: order.change.added.map((e) => ({ code: cleanLine(e.code), name: cleanLine(e.name) })),
          removed: order.change.removed.map((e) => ({ code: cleanLine(e.code), name: cleanLine(e.name) })),
          needByFrom: order.change.needByFrom,
          needByTo: order.change.needByTo,
        }
      : null,
  };
}

/** The reply page with its form. Throws PageInputError for an unsafe URL, no CSRF token, a bad language. */
export function renderReplyPage(view: ReplyPageView): RenderedPage {
  if (typeof view !== 'object' || view === null) throw new PageInputError('view must be an object');
  const { language } = view;
  if (!isLanguage(language)) throw new PageInputError(`unknown language ${JSON.stringify(language)}`);
  const formAction = assertSafeUrl(view.formAction, 'formAction');
  const pageUrl = assertSafeUrl(view.pageUrl ?? view.formAction, 'pageUrl');
  if (typeof view.csrfToken !== 'string' || view.csrfToken === '') {
    throw new PageInputError('csrfToken must be a non-empty string');
  }
  const given = view.values ?? {};
  const values: Record<string, string> = {};
  for (const field of FORM_FIELDS) values[field] = String(given[field as ReplyFormField] ?? '');
  return renderPage('reply/form', language, {
    order: orderData(view.order),
    iface: cleanLine(`${view.order.interfaceKey} ${view.order.interfaceTitle}`),
    recipientName: cleanLine(String(view.recipientName ?? '')),
    formAction,
    pageUrl,
    csrfToken: view.csrfToken,
    openQuestion: view.openQuestion ? cleanMultiline(view.openQuestion) : '',
    proposal: view.proposal
      ? {
          priceOere: view.proposal.priceOere,
          deliveryDate: view.proposal.deliveryDate,
          conditions: view.proposal.conditions === null ? null : cleanMultiline(view.proposal.conditions),
        }
      : null,
    errors: (view.errors ?? []).map(cleanLine).filter((e) => e !== ''),
    values,
    maxLength: REPLY_TEXT_MAX_LENGTH,
  });
}

// Deliberately loose: only what could break out of a mailto: link is refused.
const PLAIN_EMAIL = /^[^\s@<>"'()[\]\\,;:]+@[^\s@<>"'()[\]\\,;:]+$/;

/**
 * A page shown instead of the form: after answering, or when the link cannot be used; or, as
 * 'ERROR' with `options.requestId` (HTTP 500, quoting the id so the logged error can be found),
 * after a failure on our side. `contact` is whom the page tells the supplier to contact.
 * `options.receivedOn` (YYYY-MM-DD, Copenhagen day): when the email of an EMAIL_RECEIVED page
 * arrived, required there.
 */
export function renderReplyStatusPage(
  kind: ReplyStatusKind | 'ERROR',
  language: Language,
  contact: { name: string; email: string },
  order?: OrderSummary,
  options: { requestId?: string; receivedOn?: string | null } = {},
): RenderedPage {
  if (!isLanguage(language)) throw new PageInputError(`unknown language ${JSON.stringify(language)}`);
  if (kind !== 'ERROR' && !REPLY_STATUS_KINDS.includes(kind))
    throw new PageInputError(`unknown status page ${JSON.stringify(kind)}`);
  if (typeof contact !== 'object' || contact === null) throw new PageInputError('contact must be an object');
  const name = cleanLine(String(contact.name ?? ''));
  const email = cleanLine(String(contact.email ?? ''));
  if (name === '' && email === '') throw new PageInputError('contact needs a name or an email address');
  const requestId = cleanLine(String(options.requestId ?? ''));
  if (kind === 'ERROR' && requestId === '') throw new PageInputError('the error page needs the request id');
  const receivedOn = options.receivedOn ?? null;
  if (kind === 'EMAIL_RECEIVED' && !isIsoDate(receivedOn)) {
    throw new PageInputError('the email-received page needs receivedOn as YYYY-MM-DD');
  }
  return renderPage('reply/status', language, {
    kind,
    orderLine: order
      ? cleanLine(
          `${order.reference} – ${order.interfaceKey} ${order.interfaceTitle} (${order.supplierName})`,
        )
      : '',
    contact: { name, email, mailto: PLAIN_EMAIL.test(email) },
    requestId,
    receivedOn: isIsoDate(receivedOn) ? formatDate(receivedOn, language) : '',
  });
}

/** The words a controller needs outside a template (e.g. the expired-form message), by language. */
export function replyPageLabel(language: Language, key: 'formExpired'): string {
  const labels = loadPageEngine().folders.get('reply')?.labels[language];
  const value = labels?.[key];
  if (typeof value !== 'string') throw new PageInputError(`reply label ${key} is missing`);
  return value;
}
