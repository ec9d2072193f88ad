import { neutraliseCsvCell } from '@snitflow/common';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Playbook } from './programme.service.js';

/** Column headers of the playbook download, after the project columns' codes. */
const ORDER_HEADERS = [
  'reference',
  'state',
  'ball_in_court',
  'due_date',
  'overdue',
  'category',
  'negotiates',
  'buys',
  'pays',
  'need_by',
  'expected_live',
  'late_for_need_by',
] as const;

function header(playbook: Playbook): string[] {
  return ['key', 'title', 'source_supplier', ...playbook.projectColumns.map((p) => p.code), ...ORDER_HEADERS];
}

function cells(row: Playbook['rows'][number]): (string | boolean | null)[] {
  return [
    row.key,
    row.title,
    row.sourceSupplier,
    ...row.marks,
    row.reference,
    row.state,
    row.ballInCourt,
    row.dueDate,
    row.overdue,
    row.category,
    row.negotiates,
    row.buys,
    row.pays,
    row.needBy,
    row.expectedLiveDate,
    row.lateForNeedBy,
  ];
}

/**
 * The playbook as CSV: the interface list (key, title, supplier, a column per project with the
 * deck's marks x and ?) followed by each interface's order now. RFC 4180, LF line ends, UTF-8;
 * booleans as true/false, empty for none; every text cell through the shared neutraliseCsvCell
 * (OWASP CSV injection).
 */
export function playbookCsv(playbook: Playbook): string {
  const text = (value: string | boolean | null) =>
    value === null ? '' : typeof value === 'boolean' ? String(value) : neutraliseCsvCell(value);
  return stringify([header(playbook), ...playbook.rows.map((row) => cells(row).map(text))], {
    record_delimiter: '\n',
    eof: true,
  });
}

/**
 * The same as an XLSX workbook (exceljs), one sheet "Playbook": the header row bold and frozen,
 * dates as real dates (yyyy-mm-dd), booleans as booleans, empty cells where there is nothing.
 * Text that would start a formula is stored as text (exceljs never writes a string as a formula).
 */
export async function playbookXlsx(playbook: Playbook, generatedAt: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'snitflow';
  workbook.created = generatedAt;
  const sheet = workbook.addWorksheet('Playbook', { views: [{ state: 'frozen', ySplit: 1 }] });
  const headers = header(playbook);
  sheet.addRow(headers).font = { bold: true };
  const dateColumns = new Set(['due_date', 'need_by', 'expected_live']);
  for (const row of playbook.rows) {
    const values = cells(row).map((value, index) => {
      // Nothing to say (no mark, no order) is an empty cell, not an empty string.
      if (value === null || value === '') return null;
      if (typeof value === 'string' && dateColumns.has(headers[index] ?? ''))
        return new Date(`${value}T00:00:00.000Z`);
      return value;
    });
    sheet.addRow(values);
  }
  headers.forEach((name, index) => {
    const column = sheet.getColumn(index + 1);
    column.width = name === 'title' ? 36 : Math.max(8, name.length + 2);
    if (dateColumns.has(name)) column.numFmt = 'yyyy-mm-dd';
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
