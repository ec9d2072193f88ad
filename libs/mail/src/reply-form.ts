import { MAX_MONEY_OERE, textProblem } from '@snitflow/common';
import { isIsoDate } from './dates.js';
import { MailInputError } from './errors.js';
import { formatOere, type KronerParseError, parseKronerToOere } from './money.js';
import { cleanMultiline, codePointLength } from './text.js';
import { isLanguage, type Language } from './types.js';

/** The most characters (code points) any free-text answer may have. */
export const REPLY_TEXT_MAX_LENGTH = 4000;

export type ReplyFormField =
  | 'answer'
  | 'note'
  | 'priceKroner'
  | 'deliveryDate'
  | 'conditions'
  | 'question'
  | 'reason';

/** What the supplier typed, to re-fill the form after a rejected POST. */
export type ReplyFormValues = Partial<Record<ReplyFormField, string>>;

export type ReplyAnswer =
  | { kind: 'ACCEPT'; note: string | null }
  | { kind: 'PROPOSE'; priceOere: string | null; deliveryDate: string | null; conditions: string | null }
  | { kind: 'ASK'; question: string }
  | { kind: 'DECLINE'; reason: string };

export type ReplyFormResult = { ok: true; answer: ReplyAnswer } | { ok: false; errors: string[] };

export interface ParseReplyFormOptions {
  /** YYYY-MM-DD in Europe/Copenhagen; when given, a delivery date before it is rejected. */
  today?: string;
}

type TextField = 'note' | 'conditions' | 'question' | 'reason';

interface FormMessages {
  chooseAnswer: string;
  malformed: string;
  price: Record<Exclude<KronerParseError, 'EMPTY'>, string>;
  dateInvalid: string;
  datePast: string;
  proposeEmpty: string;
  questionEmpty: string;
  reasonEmpty: string;
  tooLong(field: TextField, length: number): string;
  unstorable(field: TextField): string;
}

const FIELD_NAMES: Record<Language, Record<TextField, string>> = {
  da: { note: 'Bemærkningen', conditions: 'Betingelserne', question: 'Spørgsmålet', reason: 'Begrundelsen' },
  en: { note: 'The comment', conditions: 'The conditions', question: 'The question', reason: 'The reason' },
};

function groupDigits(n: number, separator: string): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, separator);
}

const MESSAGES: Record<Language, FormMessages> = {
  da: {
    chooseAnswer: 'Vælg, hvilket svar I vil give: acceptér, foreslå vilkår, stil et spørgsmål eller afslå.',
    malformed: 'Formularen kunne ikke læses. Indlæs siden igen, og prøv en gang til.',
    price: {
      INVALID: 'Prisen skal være et beløb i kroner, f.eks. 125000,00 eller 125.000,00.',
      NEGATIVE: 'Prisen kan ikke være negativ.',
      TOO_MANY_DECIMALS:
        'Prisen kan højst have to decimaler (øre), f.eks. 125000,50. Skriv tusinder uden komma.',
      TOO_LARGE: `Prisen kan højst være ${formatOere(MAX_MONEY_OERE.toString(), 'da')}`,
    },
    dateInvalid: 'Leveringsdatoen skal være en gyldig dato på formen ÅÅÅÅ-MM-DD, f.eks. 2026-06-30.',
    datePast: 'Leveringsdatoen kan ikke ligge før i dag.',
    proposeEmpty: 'Angiv mindst én af pris, leveringsdato og betingelser i jeres forslag.',
    questionEmpty: 'Skriv jeres spørgsmål.',
    reasonEmpty: 'Skriv, hvorfor I afslår bestillingen.',
    tooLong: (field, length) =>
      `${FIELD_NAMES.da[field]} må højst være på ${groupDigits(REPLY_TEXT_MAX_LENGTH, '.')} tegn (der er ${groupDigits(length, '.')}).`,
    unstorable: (field) =>
      `${FIELD_NAMES.da[field]}: et tegn kan ikke gemmes (et NUL-tegn eller et ufuldstændigt tegn). Fjern det, og prøv igen.`,
  },
  en: {
    chooseAnswer: 'Choose your answer: accept, propose terms, ask a question or decline.',
    malformed: 'The form could not be read. Reload the page and try again.',
    price: {
      INVALID: 'The price must be an amount in Danish kroner, e.g. 125000.00 or 125000,00.',
      NEGATIVE: 'The price cannot be negative.',
      TOO_MANY_DECIMALS:
        'The price can have at most two decimals (øre), e.g. 125000.50. Write thousands without separators.',
      TOO_LARGE: `The price can be at most ${formatOere(MAX_MONEY_OERE.toString(), 'en')}.`,
    },
    dateInvalid: 'The delivery date must be a valid date in the form YYYY-MM-DD, e.g. 2026-06-30.',
    datePast: 'The delivery date cannot be in the past.',
    proposeEmpty: 'Give at least one of price, delivery date and conditions in your proposal.',
    questionEmpty: 'Write your question.',
    reasonEmpty: 'Write why you decline the order.',
    tooLong: (field, length) =>
      `${FIELD_NAMES.en[field]} can be at most ${groupDigits(REPLY_TEXT_MAX_LENGTH, ',')} characters long (it is ${groupDigits(length, ',')}).`,
    unstorable: (field) =>
      `${FIELD_NAMES.en[field]}: a character cannot be stored (a NUL character or a broken character). Remove it and try again.`,
  },
};

const ANSWER_KINDS = {
  accept: 'ACCEPT',
  propose: 'PROPOSE',
  question: 'ASK',
  decline: 'DECLINE',
} as const;

/**
 * Validates the reply form (application/x-www-form-urlencoded, parsed to an object) and turns
 * it into an answer. Only the fields of the chosen answer are read: without JavaScript every
 * field is always visible, so leftovers in the others must not block or leak into the answer.
 * Error messages are in `language`, ready to re-show on the page.
 */
export function parseReplyForm(
  body: Record<string, unknown>,
  language: Language,
  options: ParseReplyFormOptions = {},
): ReplyFormResult {
  if (!isLanguage(language)) throw new MailInputError(`unknown language ${JSON.stringify(language)}`);
  if (options.today !== undefined && !isIsoDate(options.today)) {
    throw new MailInputError('options.today must be a date as YYYY-MM-DD');
  }
  const m = MESSAGES[language];
  const errors: string[] = [];
  let malformed = false;
  const source: Record<string, unknown> = typeof body === 'object' && body !== null ? body : {};

  // A repeated or nested field (an array or object) is not something the form produces.
  const raw = (name: ReplyFormField): string => {
    const value = Object.hasOwn(source, name) ? source[name] : undefined;
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') {
      malformed = true;
      return '';
    }
    return value;
  };
  // The API's rule for text (textProblem, as cleanText applies it to GraphQL input): a NUL or a
  // lone surrogate is refused, not dropped or replaced, so what is stored is what was typed.
  // The other controls are removed and the text trimmed (cleanMultiline).
  const read = (name: Exclude<ReplyFormField, TextField>): string => {
    const value = raw(name);
    if (textProblem(value)) malformed = true;
    return cleanMultiline(value);
  };
  const text = (name: TextField): string | null => {
    const typed = raw(name);
    if (textProblem(typed)) errors.push(m.unstorable(name));
    const value = cleanMultiline(typed);
    const length = codePointLength(value);
    if (length > REPLY_TEXT_MAX_LENGTH) errors.push(m.tooLong(name, length));
    return value === '' ? null : value;
  };
  const finish = (answer: ReplyAnswer): ReplyFormResult => {
    if (malformed) errors.unshift(m.malformed);
    return errors.length > 0 ? { ok: false, errors } : { ok: true, answer };
  };

  const choice = read('answer');
  const kind = Object.hasOwn(ANSWER_KINDS, choice) ? ANSWER_KINDS[choice as keyof typeof ANSWER_KINDS] : null;
  switch (kind) {
    case 'ACCEPT':
      return finish({ kind, note: text('note') });
    case 'PROPOSE': {
      let priceOere: string | null = null;
      const price = parseKronerToOere(read('priceKroner'));
      if (price.ok) priceOere = price.oere;
      else if (price.error !== 'EMPTY') errors.push(m.price[price.error]);

      let deliveryDate: string | null = read('deliveryDate') || null;
      if (deliveryDate !== null && !isIsoDate(deliveryDate)) {
        errors.push(m.dateInvalid);
        deliveryDate = null;
      } else if (deliveryDate !== null && options.today !== undefined && deliveryDate < options.today) {
        // ISO dates compare correctly as strings.
        errors.push(m.datePast);
      }

      const conditions = text('conditions');
      // Only when nothing was typed at all: a mistyped term already has its own message.
      if (priceOere === null && deliveryDate === null && conditions === null && errors.length === 0) {
        errors.push(m.proposeEmpty);
      }
      return finish({ kind, priceOere, deliveryDate, conditions });
    }
    case 'ASK': {
      const question = text('question');
      if (question === null) errors.push(m.questionEmpty);
      return finish({ kind, question: question ?? '' });
    }
    case 'DECLINE': {
      const reason = text('reason');
      if (reason === null) errors.push(m.reasonEmpty);
      return finish({ kind, reason: reason ?? '' });
    }
    default:
      errors.push(m.chooseAnswer);
      return finish({ kind: 'ACCEPT', note: null });
  }
}
