import { neutraliseCsvCell, restoreCsvCell } from '@snitflow/common';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { dataElementCodeMessage, isDataElementCode } from './data-element-code.js';
import { CatalogueInputError, type CatalogueProblem } from './errors.js';
import { interfaceKeyMessage, isInterfaceKey } from './interface-key.js';

/** A project's need of an interface: `x` firm, `?` tentative (the deck's SF1180), empty none. */
export type MatrixMark = 'FIRM' | 'TENTATIVE' | 'NONE';

export interface InterfaceMatrixRow {
  key: string;
  title: string;
  sourceSupplier: string;
  /** One mark per project column, in column order. */
  marks: MatrixMark[];
  /**
   * The data elements the interface offers, when the list carries them (a `data_elements` column):
   * then they are the interface's whole list. Absent: the list says nothing about data elements.
   */
  dataElements?: MatrixDataElement[];
}

export interface MatrixDataElement {
  code: string;
  name: string;
}

/** The playbook's interface list: interfaces × projects, as in the deck's table. */
export interface InterfaceMatrix {
  /** The project columns' header names, verbatim and in order. */
  projectColumns: string[];
  rows: InterfaceMatrixRow[];
}

export const MATRIX_FIXED_COLUMNS = ['key', 'title', 'source_supplier'] as const;
/**
 * The optional column after `source_supplier`: an interface's data elements as
 * `CODE=Name;CODE=Name` (e.g. `CPR.NAVN=Navn;CPR.ADRESSE=Adresse`), in code order; empty for none.
 */
export const DATA_ELEMENTS_COLUMN = 'data_elements';
const ELEMENT_SEPARATOR = ';';

// Maps rather than object literals, so that a cell such as "constructor" cannot hit an inherited property.
const MARK_BY_CELL: ReadonlyMap<string, MatrixMark> = new Map([
  ['x', 'FIRM'],
  ['?', 'TENTATIVE'],
  ['', 'NONE'],
]);
const CELL_BY_MARK: ReadonlyMap<MatrixMark, string> = new Map(
  [...MARK_BY_CELL].map(([cell, mark]) => [mark, cell]),
);

const LINE_BREAK = /[\r\n]/;
const SUBJECT = 'Interface matrix CSV';

/** One parsed CSV record and the 1-based line it starts on. */
interface LocatedRecord {
  fields: string[];
  line: number;
}

/**
 * Reads the interface list in the seed file's format (see {@link serializeInterfaceMatrixCsv}).
 *
 * Every problem is collected with its line number and thrown together in one
 * {@link CatalogueInputError}, so a person fixing a spreadsheet export sees them all at once instead
 * of one per attempt. Only a CSV syntax error (an unclosed quote, say) stops early, because after it
 * the rest of the text cannot be split into records reliably.
 *
 * Accepts CRLF line ends and a UTF-8 byte-order mark, as spreadsheet programs write them, and skips
 * blank lines. Cells are taken verbatim, without trimming or case folding, so ` x` or `X` is reported
 * as an unknown mark rather than guessed at.
 */
export function parseInterfaceMatrixCsv(text: string): InterfaceMatrix {
  const records = readRecords(text);
  const header = records[0];
  if (header === undefined) {
    throw CatalogueInputError.fromProblems(SUBJECT, [
      {
        line: 1,
        field: 'header',
        message: `the file is empty; expected the header "${MATRIX_FIXED_COLUMNS.join(',')},<project columns>"`,
      },
    ]);
  }

  const problems: CatalogueProblem[] = headerProblems(header.fields).map((message) => ({
    line: header.line,
    field: 'header',
    message,
  }));
  const columnCount = header.fields.length;
  const withElements = header.fields[MATRIX_FIXED_COLUMNS.length] === DATA_ELEMENTS_COLUMN;
  const projectColumns = header.fields.slice(MATRIX_FIXED_COLUMNS.length + (withElements ? 1 : 0));

  const rows: InterfaceMatrixRow[] = [];
  const firstLineByKey = new Map<string, number>();
  for (const { fields, line } of records.slice(1)) {
    const at = (problem: CatalogueProblem): void => {
      problems.push({ ...problem, line });
    };
    const [key = '', title = '', sourceSupplier = '', ...rest] = fields;
    const cells = withElements ? rest.slice(1) : rest;

    if (fields.length !== columnCount) {
      at({ field: 'row', message: `expected ${columnCount} columns like the header, got ${fields.length}` });
    }
    rowFieldProblems(key, title, sourceSupplier).forEach(at);
    const firstLine = firstLineByKey.get(key);
    if (firstLine !== undefined) {
      at({ field: 'key', message: `duplicate key ${key} (first on line ${firstLine})` });
    } else if (key !== '') {
      firstLineByKey.set(key, line);
    }

    // With the wrong column count the cells are shifted, so judging them as marks would only add noise.
    if (fields.length !== columnCount) continue;
    const marks = cells.map((cell, index): MatrixMark => {
      const mark = MARK_BY_CELL.get(cell);
      if (mark !== undefined) return mark;
      const column = projectColumns[index] ?? '';
      at({
        field: column,
        message:
          `unknown mark ${JSON.stringify(cell)} in column "${column}" (key ${key}); ` +
          'use "x" (firm), "?" (tentative) or leave it empty',
      });
      return 'NONE';
    });
    if (!withElements) {
      rows.push({ key, title, sourceSupplier, marks });
      continue;
    }
    const parsed = parseDataElementsCell(rest[0] ?? '', key);
    for (const message of parsed.problems) at({ field: DATA_ELEMENTS_COLUMN, message });
    rows.push({ key, title, sourceSupplier, marks, dataElements: parsed.elements });
  }

  if (problems.length > 0) throw CatalogueInputError.fromProblems(SUBJECT, problems);
  return { projectColumns, rows };
}

/**
 * Writes the list in the seed file's format: the header `key,title,source_supplier,<project columns>`,
 * marks `x` / `?` / empty, RFC 4180 quoting only where a field needs it (a comma or a double quote),
 * LF line ends and a final newline, and a `'` before any cell starting with `=`, `+`, `-`, `@`, tab or
 * CR (OWASP CSV injection; the parser removes it again). The seed file is in this canonical form, so
 * it round-trips byte for byte.
 *
 * Throws a {@link CatalogueInputError} for a matrix that would not read back as itself (a wrong number
 * of marks, a bad or duplicate key, a blank title, a line break in a cell, …).
 */
export function serializeInterfaceMatrixCsv(m: Readonly<InterfaceMatrix>): string {
  const problems = matrixProblems(m);
  if (problems.length > 0) throw CatalogueInputError.fromProblems('Interface matrix', problems);
  const withElements = m.rows.some((row) => row.dataElements !== undefined);
  const header = [
    ...MATRIX_FIXED_COLUMNS,
    ...(withElements ? [DATA_ELEMENTS_COLUMN] : []),
    ...m.projectColumns,
  ];
  const rows = m.rows.map((row) => [
    row.key,
    row.title,
    row.sourceSupplier,
    ...(withElements ? [dataElementsCell(row.dataElements ?? [])] : []),
    ...row.marks.map((mark) => CELL_BY_MARK.get(mark) ?? ''),
  ]);
  // OWASP CSV injection: a cell starting with = + - @ tab or CR gets a leading ' (read back by
  // the parser); no seed cell starts so, which keeps the seed file's round trip byte for byte.
  return stringify(
    [header, ...rows].map((cells) => cells.map(neutraliseCsvCell)),
    {
      record_delimiter: '\n',
      eof: true,
      // Line breaks are refused above; this makes sure an unquoted one could never reach the output anyway.
      quote_record_delimiter: true,
    },
  );
}

function readRecords(text: string): LocatedRecord[] {
  const records: LocatedRecord[] = [];
  try {
    parse(text, {
      bom: true,
      // Column counts are checked per row below, so that every bad row is reported, not just the first.
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (record: string[], context) => {
        // csv-parse reports the line a record ends on; subtracting the line breaks inside its quoted
        // fields gives the line it starts on, which is where a person looks. (csv-parse counts a CRLF
        // inside quotes as two lines, hence every \r and \n; such a cell is refused anyway.)
        const breaksInside = record.reduce((sum, field) => sum + (field.match(/[\r\n]/g)?.length ?? 0), 0);
        // A cell our export neutralised against CSV injection ('=…) is read back as written.
        records.push({ fields: record.map(restoreCsvCell), line: context.lines - breaksInside });
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      // csv-parse reports where the text ended; the person needs the record where the quote opened,
      // which is the first non-blank line after the last record read.
      const last = records.at(-1);
      const line = nextNonBlankLine(text, last === undefined ? 0 : last.line + lineBreaksIn(last.fields));
      throw CatalogueInputError.fromProblems(SUBJECT, [
        {
          line,
          field: 'csv',
          message: 'the CSV cannot be read: a double quote in this record is never closed',
        },
      ]);
    }
    const line = typeof error.lines === 'number' ? error.lines : undefined;
    throw CatalogueInputError.fromProblems(SUBJECT, [
      { line, field: 'csv', message: `the CSV cannot be read: ${error.message}` },
    ]);
  }
  return records;
}

/** Line breaks inside a record's fields, a CRLF counting once. */
function lineBreaksIn(fields: readonly string[]): number {
  return fields.reduce((sum, field) => sum + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
}

/** The 1-based number of the first non-blank line after line `after`. */
function nextNonBlankLine(text: string, after: number): number {
  const lines = text.split(/\r\n|\r|\n/);
  let index = after;
  while (index < lines.length - 1 && lines[index]?.replace('\uFEFF', '') === '') index += 1;
  return index + 1;
}

function headerProblems(headerFields: readonly string[]): string[] {
  let header = headerFields;
  const problems: string[] = [];
  if (header[MATRIX_FIXED_COLUMNS.length] === DATA_ELEMENTS_COLUMN) header = header.filter((_, i) => i !== 3);
  MATRIX_FIXED_COLUMNS.forEach((name, index) => {
    const got = header[index];
    if (got === undefined) problems.push(`header column ${index + 1} "${name}" is missing`);
    else if (got !== name) {
      problems.push(`header column ${index + 1} must be "${name}", got ${JSON.stringify(got)}`);
    }
  });
  const projectColumns = header.slice(MATRIX_FIXED_COLUMNS.length);
  if (projectColumns.length === 0) {
    problems.push('the header needs at least one project column after "source_supplier"');
  }
  problems.push(...projectColumnProblems(projectColumns));
  return problems;
}

function projectColumnProblems(projectColumns: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  projectColumns.forEach((name, index) => {
    const position = index + MATRIX_FIXED_COLUMNS.length + 1;
    if (name.trim() === '') problems.push(`header column ${position} (a project column) has no name`);
    else if (LINE_BREAK.test(name)) problems.push(`header column ${position} contains a line break`);
    else if (seen.has(name)) problems.push(`project column "${name}" appears more than once in the header`);
    seen.add(name);
  });
  return problems;
}

/** Checks of one row's key, title and supplier, shared by parsing and serialising. */
function rowFieldProblems(key: string, title: string, sourceSupplier: string): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  if (!isInterfaceKey(key)) problems.push({ field: 'key', message: interfaceKeyMessage(key) });
  for (const [field, value] of [
    ['title', title],
    ['source_supplier', sourceSupplier],
  ] as const) {
    if (value.trim() === '') {
      problems.push({ field, message: `${field} is empty (key ${key})` });
    } else if (LINE_BREAK.test(value)) {
      // One line per title and supplier: they go into email subjects and one-line lists.
      problems.push({ field, message: `${field} contains a line break (key ${key})` });
    }
  }
  return problems;
}

/** `CPR.NAVN=Navn;CPR.ADRESSE=Adresse`, sorted by code (the order a re-import compares in). */
function dataElementsCell(elements: readonly MatrixDataElement[]): string {
  return [...elements]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((element) => `${element.code}=${element.name}`)
    .join(ELEMENT_SEPARATOR);
}

function parseDataElementsCell(
  cell: string,
  key: string,
): { elements: MatrixDataElement[]; problems: string[] } {
  const elements: MatrixDataElement[] = [];
  const problems: string[] = [];
  if (cell.trim() === '') return { elements, problems };
  const seen = new Set<string>();
  for (const part of cell.split(ELEMENT_SEPARATOR)) {
    const at = part.indexOf('=');
    const code = (at === -1 ? part : part.slice(0, at)).trim();
    const name = at === -1 ? '' : part.slice(at + 1).trim();
    if (!isDataElementCode(code)) problems.push(`${dataElementCodeMessage(code)} (key ${key})`);
    else if (name === '') problems.push(`data element ${code} has no name; write ${code}=Name (key ${key})`);
    else if (seen.has(code)) problems.push(`data element ${code} appears twice (key ${key})`);
    else elements.push({ code, name });
    seen.add(code);
  }
  return { elements, problems };
}

function matrixProblems(m: Readonly<InterfaceMatrix>): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  const withElements = m.rows.some((row) => row.dataElements !== undefined);
  if (m.projectColumns.length === 0) {
    problems.push({ field: 'projectColumns', message: 'at least one project column is needed' });
  }
  for (const message of projectColumnProblems(m.projectColumns)) {
    problems.push({ field: 'projectColumns', message });
  }
  const firstIndexByKey = new Map<string, number>();
  m.rows.forEach((row, index) => {
    const where = `rows[${index}]`;
    const at = (field: string, message: string): void => {
      problems.push({ field: `${where}.${field}`, message: `${where}: ${message}` });
    };
    for (const problem of rowFieldProblems(row.key, row.title, row.sourceSupplier)) {
      at(problem.field, problem.message);
    }
    const first = firstIndexByKey.get(row.key);
    if (first !== undefined) at('key', `duplicate key ${row.key} (first in rows[${first}])`);
    else firstIndexByKey.set(row.key, index);
    if (row.marks.length !== m.projectColumns.length) {
      at(
        'marks',
        `${row.marks.length} marks for ${m.projectColumns.length} project columns (key ${row.key})`,
      );
    }
    if (withElements && row.dataElements === undefined) {
      at('dataElements', `data elements missing (key ${row.key}), though other rows carry them`);
    }
    for (const element of row.dataElements ?? []) {
      if (!isDataElementCode(element.code)) at('dataElements', dataElementCodeMessage(element.code));
      if (
        element.name.trim() === '' ||
        element.name.includes(ELEMENT_SEPARATOR) ||
        LINE_BREAK.test(element.name)
      )
        at('dataElements', `data element ${element.code} needs a one-line name without ";" (key ${row.key})`);
    }
    row.marks.forEach((mark, position) => {
      if (!CELL_BY_MARK.has(mark)) {
        at('marks', `unknown mark ${JSON.stringify(mark)} at position ${position} (key ${row.key})`);
      }
    });
  });
  return problems;
}
