import { formatDate, isIsoDate } from './dates.js';
import {
  type Block,
  EMAIL_COPY,
  type EmailContent,
  type EmailContext,
  type LanguageCopy,
} from './email-copy.js';
import { MailInputError } from './errors.js';
import { html, multiline, type SafeHtml } from './html.js';
import { cleanLine, cleanMultiline } from './text.js';
import {
  EMAIL_TEMPLATES,
  type EmailData,
  type EmailTemplate,
  isLanguage,
  type Language,
  type OrderSummary,
  type RenderedEmail,
  type SupplierReplyKind,
  type Terms,
} from './types.js';

export { EMAIL_TEMPLATES, type EmailData, type EmailTemplate, type RenderedEmail };

const SUPPLIER_REPLY_KINDS: readonly SupplierReplyKind[] = ['ACCEPT', 'PROPOSE', 'ASK', 'DECLINE'];

/**
 * Renders one email in one language. Throws MailInputError for an unknown template or
 * language and for data the template cannot do without (an email that silently lacks the
 * reply link or the answer is worse than one that is not sent).
 */
export function renderEmail(template: EmailTemplate, language: Language, data: EmailData): RenderedEmail {
  if (!EMAIL_TEMPLATES.includes(template)) {
    throw new MailInputError(`unknown email template ${JSON.stringify(template)}`);
  }
  if (!isLanguage(language)) throw new MailInputError(`unknown language ${JSON.stringify(language)}`);
  const clean = normaliseEmailData(template, data);
  const copy = EMAIL_COPY[language];
  const ctx: EmailContext = {
    data: clean,
    order: clean.order,
    iface: `${clean.order.interfaceKey} ${clean.order.interfaceTitle}`,
    replyBy: clean.order.replyBy ? formatDate(clean.order.replyBy, language, { weekday: true }) : null,
  };
  const content = copy.templates[template](ctx);
  // The key and reference lead the subject so every email about one order threads together.
  const subject = cleanLine(`[${clean.order.interfaceKey} · ${clean.order.reference}] ${content.subject}`);
  return {
    subject,
    html: renderHtml(language, copy, ctx, content, subject),
    text: renderText(language, copy, ctx, content),
  };
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

  if (template.startsWith('SUPPLIER_') && clean.replyUrl === undefined) {
    throw new MailInputError(`${template} needs data.replyUrl: the supplier can only answer through it`);
  }
  if (template === 'SUPPLIER_COUNTER_PROPOSAL' && clean.terms === undefined) {
    throw new MailInputError('SUPPLIER_COUNTER_PROPOSAL needs data.terms');
  }
  if (template === 'SUPPLIER_ANSWER' && clean.answer === undefined) {
    throw new MailInputError('SUPPLIER_ANSWER needs data.answer');
  }
  if (template === 'COORDINATOR_SUPPLIER_REPLIED' && clean.supplierReply === undefined) {
    throw new MailInputError('COORDINATOR_SUPPLIER_REPLIED needs data.supplierReply');
  }
  return clean;
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

// Inline styles, because many mail clients drop <style> blocks. Colours meet WCAG AA contrast.
const S = {
  body: 'margin:0;padding:24px;background:#ffffff;color:#1b1b1b;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5',
  h1: 'font-size:22px;line-height:1.3;margin:0 0 16px',
  h2: 'font-size:18px;line-height:1.3;margin:24px 0 8px',
  p: 'margin:0 0 16px',
  table: 'border-collapse:collapse;margin:0 0 16px',
  cell: 'text-align:left;vertical-align:top;padding:4px 16px 4px 0;border-bottom:1px solid #c8c8c8',
  quote: 'margin:0 0 16px;padding:8px 12px;border-left:4px solid #5a5a5a;background:#f2f2f2',
  link: 'color:#0b4f9c;font-weight:bold;text-decoration:underline',
  small: 'margin:0 0 16px;font-size:14px;color:#3d3d3d',
  url: 'word-break:break-all',
};

function htmlBlock(block: Block, copy: LanguageCopy, language: Language): SafeHtml {
  switch (block.kind) {
    case 'paragraph':
      return html`<p style="${S.p}">${block.text}</p>\n`;
    case 'quote':
      return html`<p style="${S.p}"><strong>${block.label}:</strong></p>
<blockquote style="${S.quote}">${multiline(block.text)}</blockquote>\n`;
    case 'terms':
      return html`<h2 style="${S.h2}">${block.heading}</h2>
<table style="${S.table}">
${termRows(block.terms, copy, language).map(
  ([label, value]) =>
    html`<tr><th scope="row" style="${S.cell}">${label}</th><td style="${S.cell}">${multiline(value)}</td></tr>\n`,
)}</table>\n`;
    case 'link':
      return html`<p style="${S.p}"><a href="${block.url}" style="${S.link}">${block.label}</a></p>
<p style="${S.small}">${copy.labels.linkFallback}<br><span style="${S.url}">${block.url}</span></p>\n`;
  }
}

function termRows(terms: Terms, copy: LanguageCopy, language: Language): [string, string][] {
  const { labels } = copy;
  return [
    [labels.price, terms.priceOere === null ? labels.notSpecified : copy.formatPrice(terms.priceOere)],
    [
      labels.deliveryDate,
      terms.deliveryDate === null ? labels.notSpecified : formatDate(terms.deliveryDate, language),
    ],
    [labels.conditions, terms.conditions ?? labels.notSpecified],
  ];
}

/** The order summary's one-line rows; projects and data elements are lists, rendered apart. */
function summaryRows(
  ctx: EmailContext,
  copy: LanguageCopy,
  language: Language,
  content: EmailContent,
): [string, string][] {
  const { labels } = copy;
  const { order } = ctx;
  return [
    [labels.reference, order.reference],
    [labels.interface, ctx.iface],
    [labels.supplier, order.supplierName],
    [labels.needBy, order.needBy ? formatDate(order.needBy, language) : labels.notSpecified],
    [labels.replyBy[content.audience], ctx.replyBy ?? labels.notSpecified],
  ];
}

function renderHtml(
  language: Language,
  copy: LanguageCopy,
  ctx: EmailContext,
  content: EmailContent,
  subject: string,
): string {
  const { labels } = copy;
  const { order } = ctx;
  const rows = summaryRows(ctx, copy, language, content);
  const projects =
    order.projects.length > 0
      ? html`<ul style="margin:0;padding-left:20px">${order.projects.map((p) => html`<li>${p}</li>`)}</ul>`
      : html`${labels.noneListed}`;
  const dataElements =
    order.dataElements.length > 0
      ? html`<table style="${S.table}">
<thead><tr><th scope="col" style="${S.cell}">${labels.code}</th><th scope="col" style="${S.cell}">${labels.name}</th></tr></thead>
<tbody>
${order.dataElements.map(
  (e) => html`<tr><td style="${S.cell}">${e.code}</td><td style="${S.cell}">${e.name}</td></tr>\n`,
)}</tbody>
</table>`
      : html`<p style="${S.p}">${labels.noneListed}</p>`;

  return html`<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${subject}</title>
</head>
<body style="${S.body}">
<div style="max-width:640px">
<h1 style="${S.h1}">${content.heading}</h1>
<p style="${S.p}">${copy.greeting(ctx.data.recipientName)},</p>
${content.body.map((b) => htmlBlock(b, copy, language))}
<h2 style="${S.h2}">${labels.orderHeading}</h2>
<table style="${S.table}">
${rows.map(
  ([label, value]) =>
    html`<tr><th scope="row" style="${S.cell}">${label}</th><td style="${S.cell}">${value}</td></tr>\n`,
)}<tr><th scope="row" style="${S.cell}">${labels.projects}</th><td style="${S.cell}">${projects}</td></tr>
</table>
<h2 style="${S.h2}">${labels.dataElements}</h2>
${dataElements}
${content.footer.map((f) => html`<p style="${S.small}">${f}</p>\n`)}<p style="${S.p}">${copy.signOff[
    content.audience
  ].map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}</p>
</div>
</body>
</html>
`.value;
}

// ---------------------------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------------------------

function heading(text: string): string {
  return `${text}\n${'-'.repeat([...text].length)}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function textBlock(block: Block, copy: LanguageCopy, language: Language): string {
  switch (block.kind) {
    case 'paragraph':
      return block.text;
    case 'quote':
      return `${block.label}:\n${indent(block.text)}`;
    case 'terms':
      return `${heading(block.heading)}\n${termRows(block.terms, copy, language)
        .map(([label, value]) =>
          value.includes('\n') ? `${label}:\n${indent(value)}` : `${label}: ${value}`,
        )
        .join('\n')}`;
    case 'link':
      return `${block.label}:\n${block.url}`;
  }
}

function renderText(
  language: Language,
  copy: LanguageCopy,
  ctx: EmailContext,
  content: EmailContent,
): string {
  const { labels } = copy;
  const { order } = ctx;
  const rows = summaryRows(ctx, copy, language, content);
  const projects =
    order.projects.length > 0
      ? `${labels.projects}:\n${order.projects.map((p) => `- ${p}`).join('\n')}`
      : `${labels.projects}: ${labels.noneListed}`;
  const dataElements =
    order.dataElements.length > 0
      ? order.dataElements.map((e) => `- ${e.code}: ${e.name}`).join('\n')
      : labels.noneListed;
  const sections = [
    heading(content.heading),
    `${copy.greeting(ctx.data.recipientName)},`,
    ...content.body.map((b) => textBlock(b, copy, language)),
    `${heading(labels.orderHeading)}\n${rows.map(([label, value]) => `${label}: ${value}`).join('\n')}\n${projects}`,
    `${heading(labels.dataElements)}\n${dataElements}`,
    ...content.footer,
    copy.signOff[content.audience].join('\n'),
  ];
  return `${sections.join('\n\n')}\n`;
}
