import { MAX_MONEY_OERE } from '@snitflow/common';
import { CsvError, parse } from 'csv-parse/sync';

/**
 * Parsing and validation of the settlement imports (the CSV formats of
 * ../shared/contract-settlement.graphql). Every row is checked and every bad
 * row reported; the caller applies the rows only when there is no error.
 */

/** One bad row: its 1-based line in the CSV text (the header is line 1), the column, and why. */
export interface ImportRowError {
  readonly line: number;
  readonly field: string | null;
  readonly reason: string;
}

export interface ParsedImport<Row> {
  /** Data rows read (the header not counted), good and bad. */
  readonly rowsRead: number;
  readonly rows: readonly (Row & { readonly line: number })[];
  readonly errors: readonly ImportRowError[];
}

/**
 * The largest amount a row may carry: MAX_MONEY_OERE (10^13 øre, 100 billion kroner), the one
 * money bound of every input. Not PostgreSQL's bigint limit itself: a quarter stores sums (an
 * area's fixed plus variable estimate, its total lookups), and two rows at 2^63 − 1 made closing
 * the quarter fail with an overflow. At 10^13 øre and 10^12 lookups per row, 1,000 municipality
 * codes and any number of quarters' true-ups stay far below 2^63.
 */
export const MAX_OERE = MAX_MONEY_OERE;
/** The most lookups one row may count (a municipality's quarter, or a year's expected lookups). */
export const MAX_LOOKUPS = 10n ** 12n;
/** Inhabitants are a GraphQL Int. */
export const MAX_INHABITANTS = 2 ** 31 - 1;

export const MUNICIPALITY_CODE_PATTERN = /^\d{3}$/;
export const DATA_AREA_CODE_PATTERN = /^[A-Z0-9][A-Z0-9_-]{0,39}$/;
const INTERFACE_KEY_PATTERN = /^SF\d{4}$/;
const WHOLE_NUMBER = /^(0|[1-9]\d*)$/;

interface RawRecord {
  line: number;
  values: Record<string, string>;
}

function readCsv(
  csv: string,
  columns: readonly string[],
): { records: RawRecord[]; errors: ImportRowError[]; rowsRead: number } {
  const table: { record: string[]; info: { lines: number } }[] = [];
  try {
    parse(csv, {
      bom: true,
      trim: true,
      // Column counts are checked per row below, so every bad row is reported, not just the first.
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (record: string[], context) => {
        table.push({ record, info: { lines: context.lines } });
        return null;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 1;
      return {
        records: [],
        rowsRead: Math.max(0, table.length - 1),
        errors: [{ line, field: null, reason: `not readable as CSV: ${error.message}` }],
      };
    }
    throw error;
  }
  const header = table[0];
  if (!header)
    return {
      records: [],
      rowsRead: Math.max(0, table.length - 1),
      errors: [{ line: 1, field: null, reason: `empty file: the header ${columns.join(',')} is missing` }],
    };
  if (header.record.join(',') !== columns.join(','))
    return {
      records: [],
      rowsRead: Math.max(0, table.length - 1),
      errors: [
        {
          line: header.info.lines,
          field: null,
          reason: `the header must be ${columns.join(',')}; got ${header.record.join(',').slice(0, 120)}`,
        },
      ],
    };
  const records: RawRecord[] = [];
  const errors: ImportRowError[] = [];
  for (const { record, info } of table.slice(1)) {
    // csv-parse reports the line a record ends on; a quoted field may span lines.
    const line = info.lines - record.reduce((n, value) => n + (value.match(/[\r\n]/g)?.length ?? 0), 0);
    if (record.length !== columns.length) {
      errors.push({ line, field: null, reason: `expected ${columns.length} columns, got ${record.length}` });
      continue;
    }
    records.push({ line, values: Object.fromEntries(columns.map((column, i) => [column, record[i] ?? ''])) });
  }
  return { records, errors, rowsRead: table.length - 1 };
}

type Check<T> = { ok: true; value: T } | { ok: false; reason: string };

function oere(text: string): Check<bigint> {
  if (!WHOLE_NUMBER.test(text))
    return {
      ok: false,
      reason: `must be a whole number of øre (no sign, separators or decimals), got ${JSON.stringify(text.slice(0, 40))}`,
    };
  // More digits than the maximum is over it; BigInt of a megabyte of digits would take 0.4 s.
  const value = text.length > String(MAX_OERE).length ? MAX_OERE + 1n : BigInt(text);
  if (value > MAX_OERE) return { ok: false, reason: `must be at most ${MAX_OERE} øre (100 billion kroner)` };
  return { ok: true, value };
}

function count(text: string, max: bigint): Check<bigint> {
  if (!WHOLE_NUMBER.test(text))
    return {
      ok: false,
      reason: `must be a whole number ≥ 0 without separators, got ${JSON.stringify(text.slice(0, 40))}`,
    };
  const value = text.length > String(max).length ? max + 1n : BigInt(text);
  if (value > max) return { ok: false, reason: `must be at most ${max}` };
  return { ok: true, value };
}

/** Validates rows one by one; each check pushes its own error, so a row can report several fields. */
function validate<Row>(
  { records, errors, rowsRead }: { records: RawRecord[]; errors: ImportRowError[]; rowsRead: number },
  uniqueKey: (values: Record<string, string>) => string,
  uniqueField: string,
  build: (values: Record<string, string>, fail: (field: string, reason: string) => void) => Row | null,
): ParsedImport<Row> {
  const rows: (Row & { line: number })[] = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    let bad = false;
    const fail = (field: string, reason: string) => {
      bad = true;
      errors.push({ line: record.line, field, reason });
    };
    const row = build(record.values, fail);
    const k = uniqueKey(record.values);
    const first = seen.get(k);
    if (first !== undefined) fail(uniqueField, `repeats line ${first}; each may appear once in a file`);
    else seen.set(k, record.line);
    if (!bad && row) rows.push({ ...row, line: record.line });
  }
  return { rowsRead, rows, errors: errors.sort((a, b) => a.line - b.line) };
}

export interface MunicipalityRow {
  readonly code: string;
  readonly name: string;
  readonly inhabitants: number;
}

/** `code,name,inhabitants`: the year's population figure of each municipality. */
export function parseMunicipalitiesCsv(csv: string): ParsedImport<MunicipalityRow> {
  return validate(
    readCsv(csv, ['code', 'name', 'inhabitants']),
    (v) => v.code ?? '',
    'code',
    (v, fail) => {
      const code = v.code ?? '';
      const name = v.name ?? '';
      if (!MUNICIPALITY_CODE_PATTERN.test(code))
        fail(
          'code',
          `must be the three-digit municipality code, e.g. 101; got ${JSON.stringify(code.slice(0, 20))}`,
        );
      if (name.length === 0 || name.length > 100) fail('name', 'must be 1–100 characters');
      const inhabitants = count(v.inhabitants ?? '', BigInt(MAX_INHABITANTS));
      if (!inhabitants.ok) fail('inhabitants', inhabitants.reason);
      return inhabitants.ok ? { code, name, inhabitants: Number(inhabitants.value) } : null;
    },
  );
}

export interface DataAreaRow {
  readonly code: string;
  readonly name: string;
  readonly interfaceKeys: readonly string[];
}

/** `code,name,interface_keys`: keys separated by spaces, e.g. "SF0462 SF0770". */
export function parseDataAreasCsv(csv: string): ParsedImport<DataAreaRow> {
  return validate(
    readCsv(csv, ['code', 'name', 'interface_keys']),
    (v) => v.code ?? '',
    'code',
    (v, fail) => {
      const code = v.code ?? '';
      const name = v.name ?? '';
      if (!DATA_AREA_CODE_PATTERN.test(code))
        fail(
          'code',
          `must be 1–40 capital letters, digits, - or _, e.g. INCOME; got ${JSON.stringify(code.slice(0, 40))}`,
        );
      if (name.length === 0 || name.length > 200) fail('name', 'must be 1–200 characters');
      const keys = (v.interface_keys ?? '').split(/\s+/).filter((k) => k.length > 0);
      if (keys.length === 0) fail('interface_keys', 'must name at least one interface, e.g. SF0462');
      const wrong = keys.filter((k) => !INTERFACE_KEY_PATTERN.test(k));
      if (wrong.length > 0)
        fail('interface_keys', `must be keys "SF" + 4 digits; not: ${wrong.slice(0, 5).join(' ')}`);
      if (new Set(keys).size !== keys.length) fail('interface_keys', 'names an interface twice');
      return { code, name, interfaceKeys: [...new Set(keys)].sort() };
    },
  );
}

export interface CostEstimateRow {
  readonly dataAreaCode: string;
  readonly fixedOere: bigint;
  readonly variableOere: bigint;
  readonly expectedLookups: bigint;
}

/** `data_area,fixed_oere,variable_oere,expected_lookups`: KOMBIT's estimate; `knownAreas` are the data areas that exist. */
export function parseCostEstimatesCsv(
  csv: string,
  knownAreas: ReadonlySet<string>,
): ParsedImport<CostEstimateRow> {
  return validate(
    readCsv(csv, ['data_area', 'fixed_oere', 'variable_oere', 'expected_lookups']),
    (v) => v.data_area ?? '',
    'data_area',
    (v, fail) => {
      const dataAreaCode = v.data_area ?? '';
      if (!knownAreas.has(dataAreaCode))
        fail(
          'data_area',
          `no data area ${JSON.stringify(dataAreaCode.slice(0, 40))} (import it with importDataAreas first)`,
        );
      const fixed = oere(v.fixed_oere ?? '');
      if (!fixed.ok) fail('fixed_oere', fixed.reason);
      const variable = oere(v.variable_oere ?? '');
      if (!variable.ok) fail('variable_oere', variable.reason);
      const expected = count(v.expected_lookups ?? '', MAX_LOOKUPS);
      if (!expected.ok) fail('expected_lookups', expected.reason);
      return fixed.ok && variable.ok && expected.ok
        ? {
            dataAreaCode,
            fixedOere: fixed.value,
            variableOere: variable.value,
            expectedLookups: expected.value,
          }
        : null;
    },
  );
}

export interface LookupRow {
  readonly municipalityCode: string;
  readonly dataAreaCode: string;
  readonly lookups: bigint;
}

/** `municipality,data_area,lookups`: a quarter's actual use. */
export function parseLookupsCsv(
  csv: string,
  knownMunicipalities: ReadonlySet<string>,
  knownAreas: ReadonlySet<string>,
): ParsedImport<LookupRow> {
  return validate(
    readCsv(csv, ['municipality', 'data_area', 'lookups']),
    (v) => `${v.municipality ?? ''} ${v.data_area ?? ''}`,
    'municipality',
    (v, fail) => {
      const municipalityCode = v.municipality ?? '';
      const dataAreaCode = v.data_area ?? '';
      if (!knownMunicipalities.has(municipalityCode))
        fail(
          'municipality',
          `no municipality ${JSON.stringify(municipalityCode.slice(0, 20))} with a population figure for this year`,
        );
      if (!knownAreas.has(dataAreaCode))
        fail('data_area', `no data area ${JSON.stringify(dataAreaCode.slice(0, 40))}`);
      const lookups = count(v.lookups ?? '', MAX_LOOKUPS);
      if (!lookups.ok) fail('lookups', lookups.reason);
      return lookups.ok ? { municipalityCode, dataAreaCode, lookups: lookups.value } : null;
    },
  );
}

export interface RealisedCostRow {
  readonly dataAreaCode: string;
  readonly fixedOere: bigint;
  readonly variableOere: bigint;
}

/** `data_area,fixed_oere,variable_oere`: the year's realised costs. */
export function parseRealisedCostsCsv(
  csv: string,
  knownAreas: ReadonlySet<string>,
): ParsedImport<RealisedCostRow> {
  return validate(
    readCsv(csv, ['data_area', 'fixed_oere', 'variable_oere']),
    (v) => v.data_area ?? '',
    'data_area',
    (v, fail) => {
      const dataAreaCode = v.data_area ?? '';
      if (!knownAreas.has(dataAreaCode))
        fail('data_area', `no data area ${JSON.stringify(dataAreaCode.slice(0, 40))}`);
      const fixed = oere(v.fixed_oere ?? '');
      if (!fixed.ok) fail('fixed_oere', fixed.reason);
      const variable = oere(v.variable_oere ?? '');
      if (!variable.ok) fail('variable_oere', variable.reason);
      return fixed.ok && variable.ok
        ? { dataAreaCode, fixedOere: fixed.value, variableOere: variable.value }
        : null;
    },
  );
}
