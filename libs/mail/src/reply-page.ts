import { createHash } from 'node:crypto';
import { formatDate } from './dates.js';
import { MailInputError } from './errors.js';
import { html, multiline, SafeHtml } from './html.js';
import { formatOere } from './money.js';
import { REPLY_TEXT_MAX_LENGTH, type ReplyFormValues } from './reply-form.js';
import { cleanLine, cleanMultiline } from './text.js';
import { isLanguage, type Language, type OrderSummary, type Terms } from './types.js';

/**
 * The supplier's reply page and the status pages after it: plain server-rendered HTML that
 * works without JavaScript. Every interpolated value goes through the escaping `html` tag.
 */

export interface ReplyPageView {
  language: Language;
  order: OrderSummary;
  recipientName: string;
  /** Where the form POSTs; relative or absolute http(s). */
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
  INVALID: 404,
  RATE_LIMITED: 429,
};

// ---------------------------------------------------------------------------------------------
// Style
// ---------------------------------------------------------------------------------------------

// Colours meet WCAG AA (text ≥ 4.5:1, borders and focus ≥ 3:1 against white); the focus ring
// is two-coloured so it stays visible on the blue button as well as on white.
const CSS = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;background:#fff;color:#1b1b1b;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1.0625rem;line-height:1.5}
.page{max-width:46rem;margin:0 auto;padding:1rem 1.25rem 3rem}
.lang{text-align:right;margin:0 0 1rem}
h1{font-size:1.75rem;line-height:1.25;margin:0 0 1rem}
h2{font-size:1.3rem;line-height:1.3;margin:2rem 0 .75rem}
h3{font-size:1.1rem;margin:1.5rem 0 .5rem}
a{color:#0b4f9c}
a:focus,input:focus,textarea:focus,button:focus,.errors:focus{outline:3px solid #0b0c0c;outline-offset:0;box-shadow:0 0 0 6px #ffdd00}
table{border-collapse:collapse;width:100%;margin:0 0 1rem}
th,td{text-align:left;vertical-align:top;padding:.4rem .75rem .4rem 0;border-bottom:1px solid #8a8a8a}
.quote{margin:0 0 1rem;padding:.5rem .75rem;border-left:4px solid #5a5a5a;background:#f2f2f2}
.errors{border:4px solid #a4161a;padding:.75rem 1rem;margin:0 0 1.5rem}
.errors h2{margin:0 0 .5rem;color:#a4161a}
.errors ul{margin:0;padding-left:1.25rem}
fieldset{border:1px solid #5a5a5a;border-radius:4px;margin:0 0 1.5rem;padding:.75rem 1rem 1rem}
legend{font-weight:700;padding:0 .25rem}
.hint{color:#454545;margin:.25rem 0 .5rem}
.choice{display:flex;align-items:flex-start;gap:.6rem;margin:.5rem 0}
.choice input{width:1.4rem;height:1.4rem;margin:.1rem 0 0;flex:none;accent-color:#0b4f9c}
.field{margin:0 0 1rem}
.field label{display:block;font-weight:600}
input[type=text],input[type=date],textarea{font:inherit;color:#1b1b1b;background:#fff;width:100%;max-width:100%;padding:.45rem .5rem;border:2px solid #4a4a4a;border-radius:2px}
input[type=text],input[type=date]{max-width:16rem}
textarea{min-height:6.5rem;resize:vertical}
button{font:inherit;font-weight:700;color:#fff;background:#0b4f9c;border:2px solid #0b4f9c;border-radius:4px;padding:.6rem 1.4rem;cursor:pointer}
button:hover{background:#083a73}
`;

/**
 * CSP source for the pages' one inline <style> block, e.g.
 * `Content-Security-Policy: default-src 'none'; style-src ${REPLY_PAGE_STYLE_HASH}; form-action 'self'`,
 * so the pages can be served with a strict policy and no 'unsafe-inline'.
 */
export const REPLY_PAGE_STYLE_HASH = `'sha256-${createHash('sha256').update(CSS, 'utf8').digest('base64')}'`;

// The stylesheet is a constant of this module, never data, so it is inserted verbatim (it must
// stay byte-identical to what REPLY_PAGE_STYLE_HASH is computed from).
const STYLE = new SafeHtml(CSS);

function page(language: Language, title: string, nav: SafeHtml | null, main: SafeHtml): string {
  return html`<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="page">
${nav}<main>
${main}</main>
</div>
</body>
</html>
`.value;
}

// ---------------------------------------------------------------------------------------------
// Copy
// ---------------------------------------------------------------------------------------------

interface PageCopy {
  title(order: OrderSummary): string;
  errorTitlePrefix: string;
  switchTo: { language: Language; label: string; navLabel: string };
  h1(iface: string): string;
  greeting(name: string): string;
  intro: string;
  replyBy(date: string): string;
  errorsHeading: string;
  proposalHeading: string;
  proposalNote: string;
  openQuestionHeading: string;
  orderHeading: string;
  labels: {
    reference: string;
    interface: string;
    supplier: string;
    needBy: string;
    replyBy: string;
    projects: string;
    dataElements: string;
    code: string;
    name: string;
    notSpecified: string;
    noneListed: string;
    price: string;
    deliveryDate: string;
    conditions: string;
  };
  formHeading: string;
  answerLegend: string;
  answerHint: string;
  choices: {
    accept(withProposal: boolean): string;
    propose(withProposal: boolean): string;
    question: string;
    decline: string;
  };
  acceptLegend: string;
  noteLabel: string;
  proposeLegend: string;
  proposeHint: string;
  priceLabel: string;
  priceHint: string;
  deliveryDateLabel: string;
  deliveryDateHint: string;
  conditionsLabel: string;
  questionLegend: string;
  questionLabel: string;
  declineLegend: string;
  reasonLabel: string;
  maxLengthHint: string;
  submit: string;
}

const PAGE_COPY: Record<Language, PageCopy> = {
  da: {
    title: (o) => `Besvar bestilling ${o.interfaceKey} · ${o.reference}`,
    errorTitlePrefix: 'Fejl: ',
    switchTo: { language: 'en', label: 'Read this page in English', navLabel: 'Sprog' },
    h1: (iface) => `Besvar bestillingen af ${iface}`,
    greeting: (name) => `Kære ${name}`,
    intro:
      'Her kan I svare på bestillingen fra programmets koordinatorer: acceptere den, foreslå vilkår, stille et spørgsmål eller afslå.',
    replyBy: (date) => `Svar venligst senest ${date}.`,
    errorsHeading: 'Svaret blev ikke sendt',
    proposalHeading: 'Koordinatorernes forslag',
    proposalNote: 'Accepterer I, er det disse vilkår, I accepterer.',
    openQuestionHeading: 'Åbent spørgsmål',
    orderHeading: 'Bestillingen',
    labels: {
      reference: 'Reference',
      interface: 'Snitflade',
      supplier: 'Kildeleverandør',
      needBy: 'Behov senest',
      replyBy: 'Svar senest',
      projects: 'Rekvirerende projekter',
      dataElements: 'Dataelementer',
      code: 'Kode',
      name: 'Navn',
      notSpecified: 'ikke angivet',
      noneListed: 'ingen angivet',
      price: 'Pris',
      deliveryDate: 'Leveringsdato',
      conditions: 'Betingelser',
    },
    formHeading: 'Jeres svar',
    answerLegend: 'Hvad vil I svare?',
    answerHint: 'Udfyld derefter kun felterne til det svar, I vælger.',
    choices: {
      accept: (p) => (p ? 'Vi accepterer koordinatorernes forslag' : 'Vi accepterer bestillingen'),
      propose: (p) => (p ? 'Vi foreslår andre vilkår' : 'Vi foreslår vilkår'),
      question: 'Vi har et spørgsmål',
      decline: 'Vi afslår bestillingen',
    },
    acceptLegend: 'Hvis I accepterer',
    noteLabel: 'Bemærkning (valgfri)',
    proposeLegend: 'Hvis I foreslår vilkår',
    proposeHint: 'Angiv mindst én af pris, leveringsdato og betingelser.',
    priceLabel: 'Pris i kroner',
    priceHint: 'F.eks. 125000,00 eller 125.000,00.',
    deliveryDateLabel: 'Leveringsdato',
    deliveryDateHint: 'Skrives ÅÅÅÅ-MM-DD, f.eks. 2026-06-30.',
    conditionsLabel: 'Betingelser',
    questionLegend: 'Hvis I har et spørgsmål',
    questionLabel: 'Jeres spørgsmål',
    declineLegend: 'Hvis I afslår',
    reasonLabel: 'Begrundelse',
    maxLengthHint: 'Højst 4.000 tegn.',
    submit: 'Send svar',
  },
  en: {
    title: (o) => `Answer order ${o.interfaceKey} · ${o.reference}`,
    errorTitlePrefix: 'Error: ',
    switchTo: { language: 'da', label: 'Læs siden på dansk', navLabel: 'Language' },
    h1: (iface) => `Answer the order of ${iface}`,
    greeting: (name) => `Dear ${name}`,
    intro:
      "Here you can answer the programme coordinators' order: accept it, propose terms, ask a question or decline.",
    replyBy: (date) => `Please answer by ${date}.`,
    errorsHeading: 'Your answer was not sent',
    proposalHeading: "The coordinators' proposal",
    proposalNote: 'If you accept, these are the terms you accept.',
    openQuestionHeading: 'Open question',
    orderHeading: 'The order',
    labels: {
      reference: 'Reference',
      interface: 'Interface',
      supplier: 'Source supplier',
      needBy: 'Needed by',
      replyBy: 'Reply by',
      projects: 'Requesting projects',
      dataElements: 'Data elements',
      code: 'Code',
      name: 'Name',
      notSpecified: 'not specified',
      noneListed: 'none listed',
      price: 'Price',
      deliveryDate: 'Delivery date',
      conditions: 'Conditions',
    },
    formHeading: 'Your answer',
    answerLegend: 'What is your answer?',
    answerHint: 'Then fill in only the fields for the answer you choose.',
    choices: {
      accept: (p) => (p ? "We accept the coordinators' proposal" : 'We accept the order'),
      propose: (p) => (p ? 'We propose other terms' : 'We propose terms'),
      question: 'We have a question',
      decline: 'We decline the order',
    },
    acceptLegend: 'If you accept',
    noteLabel: 'Comment (optional)',
    proposeLegend: 'If you propose terms',
    proposeHint: 'Give at least one of price, delivery date and conditions.',
    priceLabel: 'Price in Danish kroner',
    priceHint: 'E.g. 125000.00 or 125000,00.',
    deliveryDateLabel: 'Delivery date',
    deliveryDateHint: 'Written YYYY-MM-DD, e.g. 2026-06-30.',
    conditionsLabel: 'Conditions',
    questionLegend: 'If you have a question',
    questionLabel: 'Your question',
    declineLegend: 'If you decline',
    reasonLabel: 'Reason',
    maxLengthHint: 'At most 4,000 characters.',
    submit: 'Send answer',
  },
};

// ---------------------------------------------------------------------------------------------
// Reply page
// ---------------------------------------------------------------------------------------------

function assertSafeUrl(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new MailInputError(`${what} must be a URL`);
  let url: URL;
  try {
    url = new URL(value, 'https://relative.invalid/');
  } catch {
    throw new MailInputError(`${what} must be a URL`);
  }
  // A javascript: or data: URL as form action or link would run script on submit or click.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MailInputError(`${what} must be a relative or http(s) URL`);
  }
  return value;
}

/** `url` with its `lang` query parameter set to `language`; path and fragment kept as given. */
function withLanguage(url: string, language: Language): string {
  const hashAt = url.indexOf('#');
  const withoutHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = withoutHash.indexOf('?');
  const path = queryAt === -1 ? withoutHash : withoutHash.slice(0, queryAt);
  const params = new URLSearchParams(queryAt === -1 ? '' : withoutHash.slice(queryAt + 1));
  params.set('lang', language);
  return `${path}?${params.toString()}`;
}

function summaryTable(order: OrderSummary, copy: PageCopy, language: Language): SafeHtml {
  const { labels } = copy;
  const rows: [string, SafeHtml | string][] = [
    [labels.reference, order.reference],
    [labels.interface, `${order.interfaceKey} ${order.interfaceTitle}`],
    [labels.supplier, order.supplierName],
    [labels.needBy, order.needBy ? formatDate(order.needBy, language) : labels.notSpecified],
    [
      labels.replyBy,
      order.replyBy ? formatDate(order.replyBy, language, { weekday: true }) : labels.notSpecified,
    ],
    [
      labels.projects,
      order.projects.length > 0
        ? html`<ul>${order.projects.map((p) => html`<li>${cleanLine(p)}</li>`)}</ul>`
        : labels.noneListed,
    ],
  ];
  const elements =
    order.dataElements.length > 0
      ? html`<table>
<thead><tr><th scope="col">${labels.code}</th><th scope="col">${labels.name}</th></tr></thead>
<tbody>
${order.dataElements.map((e) => html`<tr><td>${cleanLine(e.code)}</td><td>${cleanLine(e.name)}</td></tr>\n`)}</tbody>
</table>\n`
      : html`<p>${labels.noneListed}</p>\n`;
  return html`<table>
<tbody>
${rows.map(([label, value]) => html`<tr><th scope="row">${label}</th><td>${typeof value === 'string' ? cleanLine(value) : value}</td></tr>\n`)}</tbody>
</table>
<h3>${labels.dataElements}</h3>
${elements}`;
}

function termsTable(terms: Terms, copy: PageCopy, language: Language): SafeHtml {
  const { labels } = copy;
  const rows: [string, SafeHtml | string][] = [
    [labels.price, terms.priceOere === null ? labels.notSpecified : formatOere(terms.priceOere, language)],
    [
      labels.deliveryDate,
      terms.deliveryDate === null ? labels.notSpecified : formatDate(terms.deliveryDate, language),
    ],
    [
      labels.conditions,
      terms.conditions === null ? labels.notSpecified : multiline(cleanMultiline(terms.conditions)),
    ],
  ];
  return html`<table>
<tbody>
${rows.map(([label, value]) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>\n`)}</tbody>
</table>\n`;
}

interface FieldSpec {
  name: 'note' | 'priceKroner' | 'deliveryDate' | 'conditions' | 'question' | 'reason';
  label: string;
  hint?: string;
  type: 'text' | 'date' | 'textarea';
}

function field(spec: FieldSpec, values: ReplyFormValues, maxLengthHint: string): SafeHtml {
  const id = `field-${spec.name}`;
  const hint = spec.type === 'textarea' ? [spec.hint, maxLengthHint].filter(Boolean).join(' ') : spec.hint;
  const hintId = hint ? `${id}-hint` : null;
  const value = values[spec.name] ?? '';
  const described = hintId ? html` aria-describedby="${hintId}"` : null;
  // The newline after <textarea> is dropped by the HTML parser, so one that starts the value survives.
  const control =
    spec.type === 'textarea'
      ? html`<textarea id="${id}" name="${spec.name}" rows="5" maxlength="${REPLY_TEXT_MAX_LENGTH}"${described}>\n${value}</textarea>`
      : spec.type === 'date'
        ? html`<input type="date" id="${id}" name="${spec.name}" value="${value}"${described}>`
        : html`<input type="text" id="${id}" name="${spec.name}" value="${value}" inputmode="decimal" autocomplete="off" spellcheck="false"${described}>`;
  return html`<div class="field">
<label for="${id}">${spec.label}</label>
${hintId ? html`<p class="hint" id="${hintId}">${hint}</p>\n` : null}${control}
</div>\n`;
}

/**
 * The reply page: the order, the coordinators' proposal or an open question if any, and one
 * form (POST) with a radio group for the answer and a fieldset of fields per answer.
 */
export function renderReplyPage(view: ReplyPageView): string {
  if (typeof view !== 'object' || view === null) throw new MailInputError('view must be an object');
  const { language } = view;
  if (!isLanguage(language)) throw new MailInputError(`unknown language ${JSON.stringify(language)}`);
  const formAction = assertSafeUrl(view.formAction, 'formAction');
  const pageUrl = assertSafeUrl(view.pageUrl ?? view.formAction, 'pageUrl');
  if (typeof view.csrfToken !== 'string' || view.csrfToken === '') {
    throw new MailInputError('csrfToken must be a non-empty string');
  }
  const copy = PAGE_COPY[language];
  const { order } = view;
  const iface = cleanLine(`${order.interfaceKey} ${order.interfaceTitle}`);
  const errors = (view.errors ?? []).map(cleanLine).filter((e) => e !== '');
  const values = view.values ?? {};
  const withProposal = Boolean(view.proposal);
  const openQuestion = view.openQuestion ? cleanMultiline(view.openQuestion) : '';
  const other = copy.switchTo;

  const nav = html`<nav class="lang" aria-label="${other.navLabel}"><a href="${withLanguage(pageUrl, other.language)}" hreflang="${other.language}" lang="${other.language}">${other.label}</a></nav>\n`;

  const errorSummary =
    errors.length > 0
      ? html`<div class="errors" role="alert" aria-labelledby="errors-heading" tabindex="-1">
<h2 id="errors-heading">${copy.errorsHeading}</h2>
<ul>
${errors.map((e) => html`<li>${e}</li>\n`)}</ul>
</div>\n`
      : null;

  const choice = (value: string, label: string) => {
    const id = `answer-${value}`;
    return html`<div class="choice"><input type="radio" id="${id}" name="answer" value="${value}"${values.answer === value ? html` checked` : null}><label for="${id}">${label}</label></div>\n`;
  };

  const main = html`<h1>${copy.h1(iface)}</h1>
${errorSummary}<p>${copy.greeting(cleanLine(view.recipientName))},</p>
<p>${copy.intro}</p>
${order.replyBy ? html`<p><strong>${copy.replyBy(formatDate(order.replyBy, language, { weekday: true }))}</strong></p>\n` : null}${
  view.proposal
    ? html`<section aria-labelledby="proposal-heading">
<h2 id="proposal-heading">${copy.proposalHeading}</h2>
${termsTable(view.proposal, copy, language)}<p>${copy.proposalNote}</p>
</section>\n`
    : null
}${
  openQuestion
    ? html`<section aria-labelledby="question-heading">
<h2 id="question-heading">${copy.openQuestionHeading}</h2>
<div class="quote">${multiline(openQuestion)}</div>
</section>\n`
    : null
}<section aria-labelledby="order-heading">
<h2 id="order-heading">${copy.orderHeading}</h2>
${summaryTable(order, copy, language)}</section>
<section aria-labelledby="form-heading">
<h2 id="form-heading">${copy.formHeading}</h2>
<form method="post" action="${formAction}" accept-charset="utf-8">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<input type="hidden" name="lang" value="${language}">
<fieldset aria-describedby="answer-hint">
<legend>${copy.answerLegend}</legend>
<p class="hint" id="answer-hint">${copy.answerHint}</p>
${choice('accept', copy.choices.accept(withProposal))}${choice('propose', copy.choices.propose(withProposal))}${choice('question', copy.choices.question)}${choice('decline', copy.choices.decline)}</fieldset>
<fieldset>
<legend>${copy.acceptLegend}</legend>
${field({ name: 'note', label: copy.noteLabel, type: 'textarea' }, values, copy.maxLengthHint)}</fieldset>
<fieldset aria-describedby="propose-hint">
<legend>${copy.proposeLegend}</legend>
<p class="hint" id="propose-hint">${copy.proposeHint}</p>
${field({ name: 'priceKroner', label: copy.priceLabel, hint: copy.priceHint, type: 'text' }, values, copy.maxLengthHint)}${field(
  { name: 'deliveryDate', label: copy.deliveryDateLabel, hint: copy.deliveryDateHint, type: 'date' },
  values,
  copy.maxLengthHint,
)}${field({ name: 'conditions', label: copy.conditionsLabel, type: 'textarea' }, values, copy.maxLengthHint)}</fieldset>
<fieldset>
<legend>${copy.questionLegend}</legend>
${field({ name: 'question', label: copy.questionLabel, type: 'textarea' }, values, copy.maxLengthHint)}</fieldset>
<fieldset>
<legend>${copy.declineLegend}</legend>
${field({ name: 'reason', label: copy.reasonLabel, type: 'textarea' }, values, copy.maxLengthHint)}</fieldset>
<button type="submit">${copy.submit}</button>
</form>
</section>
`;

  const title = `${errors.length > 0 ? copy.errorTitlePrefix : ''}${cleanLine(copy.title(order))}`;
  return page(language, title, nav, main);
}

// ---------------------------------------------------------------------------------------------
// Status pages
// ---------------------------------------------------------------------------------------------

interface StatusCopy {
  title: string;
  /** Paragraphs; `contact` is the already rendered "whom to contact" phrase. */
  body(contact: SafeHtml): SafeHtml[];
}

const STATUS_COPY: Record<Language, Record<ReplyStatusKind, StatusCopy>> = {
  da: {
    THANKS: {
      title: 'Tak for jeres svar',
      body: (c) => [
        html`Koordinatorerne har modtaget jeres svar på bestillingen.`,
        html`<strong>Hvad sker der nu?</strong> Koordinatorerne behandler svaret og skriver til jer, hvis der er brug for mere. Har I stillet et spørgsmål, får I svaret på e-mail med et nyt link, så I derefter kan svare på bestillingen. Har I foreslået vilkår, får I besked, når koordinatorerne har vurderet dem.`,
        html`Vil I ændre eller tilføje noget, så kontakt ${c}.`,
      ],
    },
    ALREADY_ANSWERED: {
      title: 'Bestillingen er allerede besvaret',
      body: (c) => [
        html`Der er allerede svaret på bestillingen via dette link, og et link kan kun bruges til ét svar.`,
        html`Vil I ændre eller tilføje noget, så kontakt ${c}.`,
      ],
    },
    ANSWERED_BY_COLLEAGUE: {
      title: 'En kollega har allerede svaret',
      body: (c) => [
        html`Bestillingen er allerede besvaret af en kollega, der fik den samme e-mail med sit eget link, så dette link kan ikke bruges mere.`,
        html`Vil I ændre eller tilføje noget, så kontakt ${c}.`,
      ],
    },
    ON_HOLD: {
      title: 'Bestillingen er sat i bero',
      body: (c) => [
        html`Koordinatorerne har midlertidigt sat bestillingen i bero, så den kan ikke besvares lige nu.`,
        html`Linket virker igen, når bestillingen genoptages. Har I spørgsmål, så kontakt ${c}.`,
      ],
    },
    CLOSED: {
      title: 'Bestillingen afventer ikke længere jeres svar',
      body: (c) => [
        html`Bestillingen er gået videre uden et svar via dette link (den er fx besvaret på anden vis eller annulleret), så linket kan ikke bruges mere.`,
        html`Har I spørgsmål, så kontakt ${c}.`,
      ],
    },
    EXPIRED: {
      title: 'Svarperioden er slut',
      body: (c) => [
        html`Perioden for at svare på bestillingen er slut, så linket kan ikke længere bruges.`,
        html`Vil I stadig svare, så kontakt ${c}.`,
      ],
    },
    RETIRED: {
      title: 'Der er sendt et nyere link',
      body: (c) => [
        html`Der er sendt en nyere e-mail om bestillingen, og linket i denne e-mail er derfor erstattet.`,
        html`Brug linket i den nyeste e-mail om bestillingen, eller kontakt ${c}.`,
      ],
    },
    INVALID: {
      title: 'Linket virker ikke',
      body: (c) => [
        html`Linket kunne ikke genkendes. Kontrollér, at hele linket er kopieret fra e-mailen; nogle e-mailprogrammer deler lange links over flere linjer.`,
        html`Virker det stadig ikke, så kontakt ${c}.`,
      ],
    },
    RATE_LIMITED: {
      title: 'For mange forsøg',
      body: (c) => [
        html`Der er kommet for mange forsøg på kort tid. Vent et par minutter, og prøv igen.`,
        html`Haster det, så kontakt ${c}.`,
      ],
    },
  },
  en: {
    THANKS: {
      title: 'Thank you for your answer',
      body: (c) => [
        html`The coordinators have received your answer to the order.`,
        html`<strong>What happens next?</strong> The coordinators will process your answer and write to you if they need anything more. If you asked a question, you will receive the answer by email with a new link, so that you can then answer the order. If you proposed terms, you will hear from the coordinators once they have assessed them.`,
        html`If you want to change or add anything, contact ${c}.`,
      ],
    },
    ALREADY_ANSWERED: {
      title: 'The order has already been answered',
      body: (c) => [
        html`The order has already been answered through this link, and a link can only be used for one answer.`,
        html`If you want to change or add anything, contact ${c}.`,
      ],
    },
    ANSWERED_BY_COLLEAGUE: {
      title: 'A colleague has already answered',
      body: (c) => [
        html`The order has already been answered by a colleague who received the same email with their own link, so this link can no longer be used.`,
        html`If you want to change or add anything, contact ${c}.`,
      ],
    },
    ON_HOLD: {
      title: 'The order is on hold',
      body: (c) => [
        html`The coordinators have put the order on hold for now, so it cannot be answered at the moment.`,
        html`The link will work again when the order is resumed. If you have questions, contact ${c}.`,
      ],
    },
    CLOSED: {
      title: 'The order no longer awaits your answer',
      body: (c) => [
        html`The order has moved on without an answer through this link (for example, it was answered another way or cancelled), so the link can no longer be used.`,
        html`If you have questions, contact ${c}.`,
      ],
    },
    EXPIRED: {
      title: 'The answer period has ended',
      body: (c) => [
        html`The period for answering the order has ended, so the link can no longer be used.`,
        html`If you still want to answer, contact ${c}.`,
      ],
    },
    RETIRED: {
      title: 'A newer link has been sent',
      body: (c) => [
        html`A newer email about the order has been sent, so the link in this email has been replaced.`,
        html`Use the link in the newest email about the order, or contact ${c}.`,
      ],
    },
    INVALID: {
      title: 'The link does not work',
      body: (c) => [
        html`The link was not recognised. Check that the whole link was copied from the email; some email programs split long links over several lines.`,
        html`If it still does not work, contact ${c}.`,
      ],
    },
    RATE_LIMITED: {
      title: 'Too many attempts',
      body: (c) => [
        html`There have been too many attempts in a short time. Wait a few minutes and try again.`,
        html`If it is urgent, contact ${c}.`,
      ],
    },
  },
};

// Deliberately loose: only what could break out of a mailto: link is refused.
const PLAIN_EMAIL = /^[^\s@<>"'()[\]\\,;:]+@[^\s@<>"'()[\]\\,;:]+$/;

function contactPhrase(contact: { name: string; email: string }, language: Language): SafeHtml {
  if (typeof contact !== 'object' || contact === null) throw new MailInputError('contact must be an object');
  const name = cleanLine(String(contact.name ?? ''));
  const email = cleanLine(String(contact.email ?? ''));
  if (name === '' && email === '') throw new MailInputError('contact needs a name or an email address');
  const address = PLAIN_EMAIL.test(email) ? html`<a href="mailto:${email}">${email}</a>` : html`${email}`;
  if (email === '') return html`${name}`;
  if (name === '') return address;
  return language === 'da' ? html`${name} på ${address}` : html`${name} at ${address}`;
}

/**
 * The page for a failure on our side (always HTTP 500). It is not a ReplyStatusKind, because it
 * says nothing about the link (REPLY_STATUS_HTTP maps only those); it quotes the request id, so
 * the coordinators can find the logged error. The answer may or may not have been saved (an error
 * after commit is possible), so it tells the supplier how to find out rather than guessing.
 */
const ERROR_COPY: Record<
  Language,
  { title: string; body(contact: SafeHtml, reference: SafeHtml): SafeHtml[] }
> = {
  da: {
    title: 'Der opstod en fejl',
    body: (c, r) => [
      html`Noget gik galt hos os, og siden kunne ikke vises.`,
      html`Var I ved at svare, så åbn linket i e-mailen igen: står der, at bestillingen allerede er besvaret, er svaret modtaget; ellers send det igen om et par minutter.`,
      html`Virker det stadig ikke, så kontakt ${c} og oplys fejlreferencen ${r}.`,
    ],
  },
  en: {
    title: 'Something went wrong',
    body: (c, r) => [
      html`Something went wrong on our side, and the page could not be shown.`,
      html`If you were sending an answer, open the link in the email again: if it says the order has already been answered, your answer was received; if not, send it again in a few minutes.`,
      html`If it still does not work, contact ${c} and quote the error reference ${r}.`,
    ],
  },
};

/**
 * A page shown instead of the form: after answering, or when the link cannot be used; or, as
 * 'ERROR' with `options.requestId`, after a failure on our side.
 */
export function renderReplyStatusPage(
  kind: ReplyStatusKind | 'ERROR',
  language: Language,
  contact: { name: string; email: string },
  order?: OrderSummary,
  options: { requestId?: string } = {},
): string {
  if (!isLanguage(language)) throw new MailInputError(`unknown language ${JSON.stringify(language)}`);
  if (kind !== 'ERROR' && !REPLY_STATUS_KINDS.includes(kind))
    throw new MailInputError(`unknown status page ${JSON.stringify(kind)}`);
  const orderLine = order
    ? html`<p>${language === 'da' ? 'Bestilling' : 'Order'}: ${cleanLine(
        `${order.reference} – ${order.interfaceKey} ${order.interfaceTitle} (${order.supplierName})`,
      )}</p>\n`
    : null;
  const contactLine = contactPhrase(contact, language);
  let title: string;
  let body: SafeHtml[];
  if (kind === 'ERROR') {
    const requestId = cleanLine(String(options.requestId ?? ''));
    if (requestId === '') throw new MailInputError('the error page needs the request id');
    title = ERROR_COPY[language].title;
    body = ERROR_COPY[language].body(contactLine, html`<strong>${requestId}</strong>`);
  } else {
    const copy = STATUS_COPY[language][kind];
    title = copy.title;
    body = copy.body(contactLine);
  }
  const main = html`<h1>${title}</h1>
${orderLine}${body.map((p) => html`<p>${p}</p>\n`)}`;
  return page(language, `${title} – snitflow`, null, main);
}
