import { badInput } from './errors.js';

/** NUL: PostgreSQL refuses it in text, so it must be refused before any write. */
/** A UTF-16 surrogate without its pair: not a character, and stored as U+FFFD it would silently change the text. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this text cannot be stored, or null when it can. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(value)) return 'contains a lone UTF-16 surrogate (not a character)';
  return null;
}

/**
 * A text a caller sent, made ready to store: refused (BAD_USER_INPUT naming `field`) if it holds
 * a NUL or a lone surrogate, else trimmed. Whitespace around a value is never meaningful here,
 * and trimming first means a required text of only spaces fails its "not empty" rule.
 */
export function cleanText(value: string, field: string, options: { trim?: boolean } = {}): string {
  const problem = textProblem(value);
  if (problem) throw badInput(`${field} ${problem}`, { fields: [field] });
  return options.trim === false ? value : value.trim();
}

/** A required text: cleaned, and refused when nothing is left. */
export function requiredText(value: string, field: string): string {
  const text = cleanText(value, field);
  if (text === '') throw badInput(`${field} must not be empty`, { fields: [field] });
  return text;
}

/**
 * Every string in a caller's input (objects and lists walked), cleaned by cleanText; the path of
 * each (`input.terms.conditions`, `input.dataElements[2]`) names it in the error. Returns a copy.
 */
export function cleanInput<T>(value: T, path: string, options: { trim?: boolean } = {}): T {
  if (typeof value === 'string') return cleanText(value, path, options) as T;
  if (Array.isArray(value))
    return value.map((item, index) => cleanInput(item, `${path}[${index}]`, options)) as T;
  if (value !== null && typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    // Only plain data (GraphQL arguments are null-prototype or plain objects); never Dates or class instances.
    if (prototype !== null && prototype !== Object.prototype) return value;
    const copy: Record<string, unknown> = prototype === null ? Object.create(null) : {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = cleanInput(item, path ? `${path}.${key}` : key, options);
    }
    return copy as T;
  }
  return value;
}
