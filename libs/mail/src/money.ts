import { MAX_MONEY_OERE } from '@snitflow/common';
import { MailInputError } from './errors.js';
import type { Language } from './types.js';

/**
 * Money is integer øre carried as a decimal string, because amounts may exceed
 * Number.MAX_SAFE_INTEGER and a float would round them. Everything here is string
 * arithmetic on digits, so formatting and parsing are exact at any size.
 */

const INTEGER = /^(-?)(\d+)$/;

/**
 * Øre → "125.000,00 kr." (da) or "DKK 125,000.00" (en). Throws MailInputError unless the
 * input is an integer written in decimal digits (an optional leading minus is allowed and
 * shown, so a credit is never silently displayed as a charge).
 */
export function formatOere(oere: string, language: Language): string {
  const match = INTEGER.exec(oere);
  if (!match)
    throw new MailInputError(`expected integer øre as a decimal string, got ${JSON.stringify(oere)}`);
  const sign = match[1] ?? '';
  const digits = (match[2] ?? '').replace(/^0+(?=\d)/, '').padStart(3, '0');
  const kroner = digits.slice(0, -2);
  const fraction = digits.slice(-2);
  const negative = sign === '-' && /[1-9]/.test(digits);
  const minus = negative ? '-' : '';
  if (language === 'da') return `${minus}${groupThousands(kroner, '.')},${fraction} kr.`;
  return `${minus}DKK ${groupThousands(kroner, ',')}.${fraction}`;
}

function groupThousands(digits: string, separator: string): string {
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return groups.join(separator);
}

export type KronerParseError = 'EMPTY' | 'NEGATIVE' | 'TOO_MANY_DECIMALS' | 'TOO_LARGE' | 'INVALID';

/**
 * Kroner as typed into a form → integer øre as a decimal string.
 *
 * Accepted: "125000", "125000,5", "125000,50", "125.000,50", "125 000,50" (Danish: comma
 * before øre, dot or space between thousands), and the two English forms that cannot be
 * mistaken for Danish: "125000.50" (one dot followed by one or two digits, which Danish
 * thousands grouping never produces) and "125,000.50". An optional "kr."/"kr"/"DKK" is ignored.
 * Anything ambiguous, such as "125,000" (125 kroner with three decimals in Danish, 125000 in
 * English), is rejected rather than guessed, because a wrong guess is a factor of 1000.
 * More than MAX_MONEY_OERE (100.000.000.000,00 kr.) is TOO_LARGE.
 */
export function parseKronerToOere(
  input: string,
): { ok: true; oere: string } | { ok: false; error: KronerParseError } {
  let text = input.replace(/[\u00a0\u202f]/g, ' ').trim();
  text = text
    .replace(/^dkk\s*/i, '')
    .replace(/\s*(kr\.?|dkk)$/i, '')
    .trim();
  if (text === '') return { ok: false, error: 'EMPTY' };
  if (/^[-\u2212]/.test(text)) return { ok: false, error: 'NEGATIVE' };

  const match =
    /^(\d+)(?:,(\d{1,2}))?$/.exec(text) ??
    /^(\d{1,3}(?:\.\d{3})+)(?:,(\d{1,2}))?$/.exec(text) ??
    /^(\d{1,3}(?: \d{3})+)(?:,(\d{1,2}))?$/.exec(text) ??
    /^(\d+)\.(\d{1,2})$/.exec(text) ??
    /^(\d{1,3}(?:,\d{3})+)\.(\d{1,2})$/.exec(text);
  if (!match) {
    // Well-formed except for the number of decimals: say so, rather than "invalid".
    const tooManyDecimals =
      /^(\d+|\d{1,3}(\.\d{3})+|\d{1,3}( \d{3})+),\d{3,}$/.test(text) ||
      /^(\d+|\d{1,3}(,\d{3})+)\.\d{3,}$/.test(text);
    return { ok: false, error: tooManyDecimals ? 'TOO_MANY_DECIMALS' : 'INVALID' };
  }
  const kroner = (match[1] ?? '').replace(/[., ]/g, '').replace(/^0+(?=\d)/, '');
  // The API's bound on money (MAX_MONEY_OERE, 100 billion kroner): a price typed here is stored
  // and summed like one sent over GraphQL. Its kroner have at most 12 digits; a longer string is
  // refused before it is turned into a number.
  if (kroner.length > 12) return { ok: false, error: 'TOO_LARGE' };
  const fraction = (match[2] ?? '').padEnd(2, '0');
  const oere = `${kroner}${fraction}`.replace(/^0+(?=\d)/, '');
  if (BigInt(oere) > MAX_MONEY_OERE) return { ok: false, error: 'TOO_LARGE' };
  return { ok: true, oere };
}
