import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CatalogueInputError } from './errors.js';
import { isInterfaceKey } from './interface-key.js';

export type MatrixMark = 'FIRM' | 'TENTATIVE' | 'NONE';

export interface InterfaceMatrixRow {
  key: string;
  title: string;
  sourceSupplier: string;
  marks: MatrixMark[];
}

/** The playbook's interface list: interfaces × projects, as in the deck's table. */
export interface InterfaceMatrix {
  projectColumns: string[];
  rows: InterfaceMatrixRow[];
}

const FIXED_COLUMNS = ['key', 'title', 'source_supplier'] as const;
const MARK_BY_CELL: Record<string, MatrixMark> = { x: 'FIRM', '?': 'TENTATIVE', '': 'NONE' };
const CELL_BY_MARK: Record<MatrixMark, string> = { FIRM: 'x', TENTATIVE: '?', NONE: '' };

/**
 * Reads the interface list in the seed file's format. Every problem is
 * collected with its line number, so a person fixing a spreadsheet export
 * sees them all at once instead of one per attempt.
 */
export function parseInterfaceMatrixCsv(text: string): InterfaceMatrix {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new CatalogueInputError(`The CSV cannot be read: ${(error as Error).message}`, 'csv');
  }
  const header = records[0];
  if (!header) throw new CatalogueInputError('The CSV is empty: expected a header line', 'csv');

  const problems: string[] = [];
  FIXED_COLUMNS.forEach((name, index) => {
    if (header[index] !== name) {
      problems.push(`line 1: column ${index + 1} must be "${name}", found "${header[index] ?? ''}"`);
    }
  });
  const projectColumns = header.slice(FIXED_COLUMNS.length);
  if (projectColumns.length === 0)
    problems.push('line 1: at least one project column is needed after source_supplier');
  projectColumns.forEach((name, index) => {
    if (!name.trim()) problems.push(`line 1: project column ${index + 1} has no name`);
  });
  if (new Set(projectColumns).size !== projectColumns.length)
    problems.push('line 1: project columns must be unique');

  const rows: InterfaceMatrixRow[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((record, index) => {
    const line = index + 2;
    if (record.length !== header.length) {
      problems.push(`line ${line}: expected ${header.length} columns, found ${record.length}`);
      return;
    }
    const [key = '', title = '', sourceSupplier = '', ...cells] = record;
    if (!isInterfaceKey(key)) problems.push(`line ${line}: key "${key}" is not SF followed by 4 digits`);
    const earlier = seen.get(key);
    if (earlier) problems.push(`line ${line}: key ${key} already appears on line ${earlier}`);
    seen.set(key, line);
    if (!title.trim()) problems.push(`line ${line}: title is empty`);
    if (!sourceSupplier.trim()) problems.push(`line ${line}: source_supplier is empty`);
    const marks = cells.map((cell, column) => {
      const mark = MARK_BY_CELL[cell];
      if (!mark) {
        problems.push(`line ${line}: mark "${cell}" in ${projectColumns[column]} must be x, ? or empty`);
        return 'NONE' as const;
      }
      return mark;
    });
    rows.push({ key, title, sourceSupplier, marks });
  });

  if (problems.length > 0) {
    throw new CatalogueInputError(
      `The interface list has ${problems.length} problem(s): ${problems.join('; ')}`,
      'csv',
      problems,
    );
  }
  return { projectColumns, rows };
}

/** Writes the list in the seed file's format: LF line ends, quoting only where needed, a final newline. */
export function serializeInterfaceMatrixCsv(matrix: InterfaceMatrix): string {
  const header = [...FIXED_COLUMNS, ...matrix.projectColumns];
  const rows = matrix.rows.map((row) => [
    row.key,
    row.title,
    row.sourceSupplier,
    ...row.marks.map((mark) => CELL_BY_MARK[mark]),
  ]);
  return stringify([header, ...rows], { record_delimiter: '\n' });
}
