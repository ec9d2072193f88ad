/**
 * Normalisation of text that comes from suppliers, projects and coordinators before it is
 * put into an email or a page. Control characters are removed because they are invisible,
 * can break a mail header (CR/LF) and PostgreSQL rejects NUL in text columns.
 */

/** Multi-line free text: line breaks normalised to \n, tabs kept, other controls removed. */
export function cleanMultiline(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/[^\P{Cc}\n\t]/gu, '')
    .trim();
}

/** One-line text (names, titles, subjects): every run of whitespace or controls becomes one space. */
export function cleanLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029\s]+/gu, ' ').trim();
}

/** Length in Unicode code points, the unit people and PostgreSQL's char_length count in. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
