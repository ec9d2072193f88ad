/**
 * CSV injection (OWASP, "CSV Injection"): a spreadsheet runs a cell that begins with `=`, `+`,
 * `-`, `@`, a tab or a carriage return as a formula (`=HYPERLINK(…)`, `=cmd|…`). Every CSV the
 * API exports writes such a cell with a leading single quote, which spreadsheets show as text and
 * do not evaluate; the importers remove exactly that quote again, so an export re-imports as
 * itself. Cells that do not begin so (the seed file's) are written unchanged, byte for byte.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEUTRALISED = /^'[=+\-@\t\r]/;

/** `=1+1` → `'=1+1`; any other text unchanged. Use on every cell of every CSV export. */
export function neutraliseCsvCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The inverse on import: `'=1+1` → `=1+1`; any other text (a plain leading `'` too) unchanged. */
export function restoreCsvCell(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}
