import { formatDate, isIsoDate } from './dates.js';
import { type EmailEngine, loadEmailEngine, renderEmailFormat, type TermsView } from './email-engine.js';
import { MailInputError } from './errors.js';
import { formatOere } from './money.js';
import { cleanLine, cleanMultiline } from './text.js';
import {
  audienceOf,
  EMAIL_TEMPLATES,
  type EmailData,
  type EmailTemplate,
  isLanguage,
  type Language,
  type OrderSummary,
  PROJECT_NOTICE_KINDS,
  type ProjectNotice,
  type RenderedEmail,
  SUPPLIER_EMAIL_KINDS,
  type SupplierReplyKind,
  type Terms,
} from './types.js';

export { EMAIL_TEMPLATES, type EmailData, type EmailTemplate, type RenderedEmail };

const SUPPLIER_REPLY_KINDS: readonly SupplierReplyKind[] = ['ACCEPT', 'PROPOSE', 'ASK', 'DECLINE'];

/**
 * Renders one email in one language from its Liquid template (libs/mail/templates/email),
 * as a subject, an HTML part and a plain-text part. Throws MailInputError for an unknown template or
 * language and for data the template cannot do without (an email that silently lacks the
 * reply link or the answer is worse than one that is not sent).
 */
export function renderEmail(
  template: EmailTemplate,
  language: Language,
  data: EmailData,
  engine: EmailEngine = loadEmailEngine(),
): RenderedEmail {
  if (!EMAIL_TEMPLATES.includes(template)) {
    throw new MailInputError(`unknown email template ${JSON.stringify(template)}`);
  }
  if (!isLanguage(language)) throw new MailInputError(`unknown language ${JSON.stringify(language)}`);
  const context = templateContext(template, language, normaliseEmailData(template, data));
  const { order } = context;
  // The key and reference lead the subject so every email about one order threads together.
  const subject = cleanLine(
    `[${order.interfaceKey} · ${order.reference}] ${renderEmailFormat(engine, template, language, 'subject', context)}`,
  );
  return {
    subject,
    html: renderEmailFormat(engine, template, language, 'html', { ...context, subject }),
    text: renderEmailFormat(engine, template, language, 'text', context),
  };
}

/**
 * What every template sees. Every key is present (null when there is nothing), so the
 * engine's strict mode can tell a misspelt variable from a missing value. Dates and money
 * arrive formatted for the language: templates choose words, not formats.
 */
function templateContext(template: EmailTemplate, language: Language, data: EmailData) {
  const { order } = data;
  const terms: TermsView | null = data.terms
    ? {
        price: data.terms.priceOere === null ? null : formatOere(data.terms.priceOere, language),
        deliveryDate: data.terms.deliveryDate === null ? null : formatDate(data.terms.deliveryDate, language),
        conditions: data.terms.conditions,
      }
    : null;
  return {
    language,
    audience: audienceOf(template),
    order,
    /** e.g. "SF0800 Feriekonto online opslag". */
    iface: `${order.interfaceKey} ${order.interfaceTitle}`,
    needBy: order.needBy ? formatDate(order.needBy, language) : null,
    /** SUPPLIER_ORDERS: each order with its interface line, dates formatted, and its own link. */
    batch: (data.batch ?? []).map((entry) => ({
      order: entry.order,
      iface: `${entry.order.interfaceKey} ${entry.order.interfaceTitle}`,
      needBy: entry.order.needBy ? formatDate(entry.order.needBy, language) : null,
      elements: entry.order.dataElements.map((e) => `${e.code} ${e.name}`).join(', ') || null,
      replyUrl: entry.replyUrl,
    })),
    /** What an amended specification changes, element lists as "CODE Name, …" and dates formatted. */
    change: order.change
      ? {
          added: order.change.added.map((e) => `${e.code} ${e.name}`).join(', ') || null,
          removed: order.change.removed.map((e) => `${e.code} ${e.name}`).join(', ') || null,
          needByFrom: formatted(order.change.needByFrom, language),
          needByTo: formatted(order.change.needByTo, language),
        }
      : null,
    /** The supplier's answer deadline, with weekday. */
    replyBy: order.replyBy ? formatDate(order.replyBy, language, { weekday: true }) : null,
    recipientName: data.recipientName,
    replyUrl: data.replyUrl ?? null,
    terms,
    answer: data.answer ?? null,
    question: data.question ?? null,
    fixDescription: data.fixDescription ?? null,
    reminderNumber: data.reminderNumber ?? null,
    overdueBusinessDays: data.overdueBusinessDays ?? null,
    supplierReply: data.supplierReply ?? null,
    supplierEmail: data.supplierEmail
      ? { ...data.supplierEmail, awayUntil: formatted(data.supplierEmail.awayUntil, language) }
      : null,
    scopeObjection: data.scopeObjection ?? null,
    projectNotice: data.projectNotice
      ? {
          ...data.projectNotice,
          date: formatted(data.projectNotice.date, language),
          windowStart: formatted(data.projectNotice.windowStart, language),
          windowEnd: formatted(data.projectNotice.windowEnd, language),
          change: data.projectNotice.change
            ? {
                ...data.projectNotice.change,
                needByFrom: formatted(data.projectNotice.change.needByFrom, language),
                needByTo: formatted(data.projectNotice.change.needByTo, language),
              }
            : null,
        }
      : null,
  };
}

function formatted(date: string | null, language: Language): string | null {
  return date === null ? null : formatDate(date, language);
}

// ---------------------------------------------------------------------------------------------
// Validation and normalisation
// ---------------------------------------------------------------------------------------------

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new MailInputError(`${what} must be a string`);
  return value;
}

function requireLine(value: unknown, what: string): string {
  const line = cleanLine(requireString(value, what));
  if (line === '') throw new MailInputError(`${what} must not be empty`);
  return line;
}

function optionalDate(value: unknown, what: string): string | null {
  if (value === null) return null;
  if (!isIsoDate(value)) throw new MailInputError(`${what} must be a date as YYYY-MM-DD or null`);
  return value;
}

function optionalMultiline(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = cleanMultiline(requireString(value, what));
  return text === '' ? undefined : text;
}

function optionalCount(value: unknown, what: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new MailInputError(`${what} must be an integer of at least ${min}`);
  }
  return value;
}

function absoluteHttpUrl(value: unknown, what: string): string {
  const text = requireString(value, what);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MailInputError(`${what} must be an absolute URL`);
  }
  // Anything else (javascript:, data:) in an email link would be an injection, not a link.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MailInputError(`${what} must be an http(s) URL`);
  }
  return url.href;
}

function normaliseTerms(value: unknown): Terms {
  if (typeof value !== 'object' || value === null) throw new MailInputError('data.terms must be an object');
  const terms = value as Record<string, unknown>;
  const price = terms.priceOere ?? null;
  if (price !== null && (typeof price !== 'string' || !/^-?\d+$/.test(price))) {
    throw new MailInputError('data.terms.priceOere must be integer øre as a decimal string or null');
  }
  return {
    priceOere: price,
    deliveryDate: optionalDate(terms.deliveryDate ?? null, 'data.terms.deliveryDate'),
    conditions: optionalMultiline(terms.conditions, 'data.terms.conditions') ?? null,
  };
}

function normaliseOrder(value: unknown): OrderSummary {
  if (typeof value !== 'object' || value === null) throw new MailInputError('data.order must be an object');
  const order = value as Record<string, unknown>;
  if (!Array.isArray(order.dataElements))
    throw new MailInputError('data.order.dataElements must be an array');
  if (!Array.isArray(order.projects)) throw new MailInputError('data.order.projects must be an array');
  return {
    reference: requireLine(order.reference, 'data.order.reference'),
    interfaceKey: requireLine(order.interfaceKey, 'data.order.interfaceKey'),
    interfaceTitle: requireLine(order.interfaceTitle, 'data.order.interfaceTitle'),
    dataElements: order.dataElements.map((element: unknown, i) => {
      const e = (typeof element === 'object' && element !== null ? element : {}) as Record<string, unknown>;
      return {
        code: cleanLine(requireString(e.code, `data.order.dataElements[${i}].code`)),
        name: cleanLine(requireString(e.name, `data.order.dataElements[${i}].name`)),
      };
    }),
    needBy: optionalDate(order.needBy ?? null, 'data.order.needBy'),
    projects: order.projects.map((p: unknown, i) => requireLine(p, `data.order.projects[${i}]`)),
    replyBy: optionalDate(order.replyBy ?? null, 'data.order.replyBy'),
    supplierName: requireLine(order.supplierName, 'data.order.supplierName'),
    change: normaliseChange(order.change),
  };
}

function normaliseChange(value: unknown): OrderSummary['change'] {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') throw new MailInputError('data.order.change must be an object or null');
  const change = value as Record<string, unknown>;
  const elements = (list: unknown, what: string) => {
    if (!Array.isArray(list)) throw new MailInputError(`data.order.change.${what} must be an array`);
    return list.map((element: unknown, i) => {
      const e = (typeof element === 'object' && element !== null ? element : {}) as Record<string, unknown>;
      return {
        code: cleanLine(requireString(e.code, `data.order.change.${what}[${i}].code`)),
        name: cleanLine(requireString(e.name, `data.order.change.${what}[${i}].name`)),
      };
    });
  };
  return {
    added: elements(change.added, 'added'),
    removed: elements(change.removed, 'removed'),
    needByFrom: optionalDate(change.needByFrom ?? null, 'data.order.change.needByFrom'),
    needByTo: optionalDate(change.needByTo ?? null, 'data.order.change.needByTo'),
  };
}

function normaliseProjectNotice(value: unknown): ProjectNotice {
  if (typeof value !== 'object' || value === null)
    throw new MailInputError('data.projectNotice must be an object');
  const notice = value as Record<string, unknown>;
  const kind = PROJECT_NOTICE_KINDS.find((candidate) => candidate === notice.kind);
  if (!kind) throw new MailInputError(`unknown project notice kind ${JSON.stringify(notice.kind)}`);
  const takesPart = notice.takesPart ?? null;
  if (takesPart !== null && typeof takesPart !== 'boolean') {
    throw new MailInputError('data.projectNotice.takesPart must be a boolean or null');
  }
  return {
    kind,
    projectName: requireLine(notice.projectName, 'data.projectNotice.projectName'),
    text: optionalMultiline(notice.text, 'data.projectNotice.text') ?? null,
    date: optionalDate(notice.date ?? null, 'data.projectNotice.date'),
    windowStart: optionalDate(notice.windowStart ?? null, 'data.projectNotice.windowStart'),
    windowEnd: optionalDate(notice.windowEnd ?? null, 'data.projectNotice.windowEnd'),
    takesPart,
    elements: optionalMultiline(notice.elements, 'data.projectNotice.elements') ?? null,
    change: normaliseNoticeChange(notice.change),
  };
}

function normaliseNoticeChange(value: unknown): ProjectNotice['change'] {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object')
    throw new MailInputError('data.projectNotice.change must be an object or null');
  const change = value as Record<string, unknown>;
  return {
    added: optionalMultiline(change.added, 'data.projectNotice.change.added') ?? null,
    removed: optionalMultiline(change.removed, 'data.projectNotice.change.removed') ?? null,
    needByFrom: optionalDate(change.needByFrom ?? null, 'data.projectNotice.change.needByFrom'),
    needByTo: optionalDate(change.needByTo ?? null, 'data.projectNotice.change.needByTo'),
  };
}

function normaliseEmailData(template: EmailTemplate, data: EmailData): EmailData {
  if (typeof data !== 'object' || data === null) throw new MailInputError('data must be an object');
  const clean: EmailData = {
    order: normaliseOrder(data.order),
    recipientName: requireLine(data.recipientName, 'data.recipientName'),
  };
  if (data.replyUrl !== undefined) clean.replyUrl = absoluteHttpUrl(data.replyUrl, 'data.replyUrl');
  if (data.terms !== undefined && data.terms !== null) clean.terms = normaliseTerms(data.terms);
  const answer = optionalMultiline(data.answer, 'data.answer');
  if (answer !== undefined) clean.answer = answer;
  const fixDescription = optionalMultiline(data.fixDescription, 'data.fixDescription');
  if (fixDescription !== undefined) clean.fixDescription = fixDescription;
  const question = optionalMultiline(data.question, 'data.question');
  if (question !== undefined) clean.question = question;
  const reminderNumber = optionalCount(data.reminderNumber, 'data.reminderNumber', 1);
  if (reminderNumber !== undefined) clean.reminderNumber = reminderNumber;
  const overdue = optionalCount(data.overdueBusinessDays, 'data.overdueBusinessDays', 0);
  if (overdue !== undefined) clean.overdueBusinessDays = overdue;
  if (data.supplierReply !== undefined && data.supplierReply !== null) {
    const reply = data.supplierReply;
    if (!SUPPLIER_REPLY_KINDS.includes(reply.kind)) {
      throw new MailInputError(`unknown supplier reply kind ${JSON.stringify(reply.kind)}`);
    }
    clean.supplierReply = {
      kind: reply.kind,
      by: requireLine(reply.by, 'data.supplierReply.by'),
      text: optionalMultiline(reply.text, 'data.supplierReply.text') ?? null,
    };
  }

  if (data.supplierEmail !== undefined && data.supplierEmail !== null) {
    const notice = data.supplierEmail;
    if (!SUPPLIER_EMAIL_KINDS.includes(notice.kind)) {
      throw new MailInputError(`unknown supplier email kind ${JSON.stringify(notice.kind)}`);
    }
    clean.supplierEmail = {
      kind: notice.kind,
      from: requireLine(notice.from, 'data.supplierEmail.from'),
      text: optionalMultiline(notice.text, 'data.supplierEmail.text') ?? null,
      awayUntil: optionalDate(notice.awayUntil ?? null, 'data.supplierEmail.awayUntil'),
    };
  }

  if (data.projectNotice !== undefined && data.projectNotice !== null) {
    clean.projectNotice = normaliseProjectNotice(data.projectNotice);
  }
  if (data.scopeObjection !== undefined && data.scopeObjection !== null) {
    const objection = data.scopeObjection;
    const stillAwaiting = optionalCount(objection.stillAwaiting, 'data.scopeObjection.stillAwaiting', 0);
    if (stillAwaiting === undefined)
      throw new MailInputError('data.scopeObjection.stillAwaiting is required');
    const text = optionalMultiline(objection.text, 'data.scopeObjection.text');
    if (!text) throw new MailInputError('data.scopeObjection.text must not be empty');
    clean.scopeObjection = {
      projectName: requireLine(objection.projectName, 'data.scopeObjection.projectName'),
      by: requireLine(objection.by, 'data.scopeObjection.by'),
      text,
      elements: optionalMultiline(objection.elements, 'data.scopeObjection.elements') ?? null,
      stillAwaiting,
    };
  }
  if (data.batch !== undefined) {
    if (!Array.isArray(data.batch)) throw new MailInputError('data.batch must be an array');
    clean.batch = data.batch.map((entry, i) => ({
      order: normaliseOrder(entry?.order),
      replyUrl: absoluteHttpUrl(entry?.replyUrl, `data.batch[${i}].replyUrl`),
    }));
  }
  if (template === 'SUPPLIER_ORDERS' && (clean.batch?.length ?? 0) < 2) {
    throw new MailInputError('SUPPLIER_ORDERS needs data.batch with two or more orders');
  }

  if (template === 'PROJECT_UPDATE' && clean.projectNotice === undefined) {
    throw new MailInputError('PROJECT_UPDATE needs data.projectNotice');
  }
  if (template.startsWith('SUPPLIER_') && clean.replyUrl === undefined) {
    throw new MailInputError(`${template} needs data.replyUrl: the supplier can only answer through it`);
  }
  if (template === 'SUPPLIER_COUNTER_PROPOSAL' && clean.terms === undefined) {
    throw new MailInputError('SUPPLIER_COUNTER_PROPOSAL needs data.terms');
  }
  if (template === 'SUPPLIER_ANSWER' && clean.answer === undefined) {
    throw new MailInputError('SUPPLIER_ANSWER needs data.answer');
  }
  if (template === 'COORDINATOR_SUPPLIER_EMAIL' && clean.supplierEmail === undefined) {
    throw new MailInputError('COORDINATOR_SUPPLIER_EMAIL needs data.supplierEmail');
  }
  if (template === 'COORDINATOR_SCOPE_OBJECTION' && clean.scopeObjection === undefined) {
    throw new MailInputError('COORDINATOR_SCOPE_OBJECTION needs data.scopeObjection');
  }
  if (template === 'COORDINATOR_SUPPLIER_REPLIED' && clean.supplierReply === undefined) {
    throw new MailInputError('COORDINATOR_SUPPLIER_REPLIED needs data.supplierReply');
  }
  return clean;
}
