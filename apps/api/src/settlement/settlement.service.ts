import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuthenticatedUser } from '@snitflow/auth';
import { badInput, CLOCK, type Clock, conflict } from '@snitflow/common';
import {
  type ImportRowError,
  type ParsedImport,
  parseCostEstimatesCsv,
  parseDataAreasCsv,
  parseLookupsCsv,
  parseMunicipalitiesCsv,
  parseRealisedCostsCsv,
  type Quarter,
  SettlementInputError,
} from '@snitflow/settlement';
import { DataSource, type EntityManager } from 'typeorm';
import { freeze, readFrozen, readSettlement, type StoredSettlement } from './settlement.store.js';

export interface ImportReport {
  applied: boolean;
  rowsRead: number;
  rowsChanged: number;
  errors: ImportRowError[];
}

export interface SettlementChange {
  id: string;
  occurredAt: Date;
  actor: string;
  actorRole: string;
  action: string;
  year: number | null;
  quarter: number | null;
  subject: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
}

interface Change {
  subject: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
}

/** Years the programme bills; anything else is a typo. */
const MIN_YEAR = 2000;
const MAX_YEAR = 2999;

/**
 * Settlement (issue 10): imports of the figures, the quarter's bills, closing
 * a quarter, and the history. Every write takes one advisory lock, so an
 * import and a close never interleave: a quarter is frozen from one
 * consistent set of figures, and each change is recorded in the same
 * transaction as the change itself.
 */
@Injectable()
export class SettlementService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  validYear(year: number): number {
    if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
      throw badInput(`year must be between ${MIN_YEAR} and ${MAX_YEAR}; got ${year}`, { field: 'year' });
    return year;
  }

  validQuarter(quarter: number): Quarter {
    if (quarter !== 1 && quarter !== 2 && quarter !== 3 && quarter !== 4)
      throw badInput(`quarter must be 1, 2, 3 or 4; got ${quarter}`, { field: 'quarter' });
    return quarter;
  }

  /** The quarter's bills: frozen when closed, otherwise computed from today's figures. */
  async settlement(year: number, quarter: number): Promise<StoredSettlement> {
    return this.computed(() =>
      readSettlement(this.dataSource.manager, this.validYear(year), this.validQuarter(quarter)),
    );
  }

  /** One line per municipality and data area: municipality,data_area,fixed_oere,variable_oere,true_up_oere,total_oere. */
  async settlementCsv(year: number, quarter: number): Promise<string> {
    const settlement = await this.settlement(year, quarter);
    const lines = settlement.lines.map((l) =>
      [l.municipalityCode, l.dataAreaCode, l.fixedOere, l.variableOere, l.trueUpOere, l.totalOere].join(','),
    );
    // Codes are digits and [A-Z0-9_-] starting with a letter or digit (checked at import), and amounts
    // are integers: no field needs quoting, and a leading '-' is only ever a negative number, which a
    // spreadsheet reads as a number, never a formula (so neutraliseCsvCell would only break finance imports).
    return `municipality,data_area,fixed_oere,variable_oere,true_up_oere,total_oere\n${lines.map((l) => `${l}\n`).join('')}`;
  }

  async municipalities(year: number): Promise<{ code: string; name: string; inhabitants: number }[]> {
    return this.dataSource.query(
      `SELECT m.code, m.name, p.inhabitants FROM municipality_population p
         JOIN municipality m ON m.code = p.municipality_code
        WHERE p.year = $1 ORDER BY m.code`,
      [this.validYear(year)],
    );
  }

  async dataAreas(): Promise<{ code: string; name: string; interfaceKeys: string[] }[]> {
    return this.dataSource.query(
      'SELECT code, name, interface_keys AS "interfaceKeys" FROM data_area ORDER BY code COLLATE "C"',
    );
  }

  async history(year: number | null): Promise<SettlementChange[]> {
    const rows: (Omit<SettlementChange, 'id'> & { id: string })[] = await this.dataSource.query(
      `SELECT id::text, occurred_at AS "occurredAt", actor, actor_role AS "actorRole", action, year, quarter,
              subject, field, old_value AS "oldValue", new_value AS "newValue"
         FROM settlement_change WHERE $1::int IS NULL OR year = $1 OR year IS NULL ORDER BY settlement_change.id`,
      [year === null ? null : this.validYear(year)],
    );
    return rows;
  }

  /** Freezes the quarter's bills. Idempotent: closing a closed quarter returns its frozen bills. */
  async closeQuarter(user: AuthenticatedUser, year: number, quarter: number): Promise<StoredSettlement> {
    const y = this.validYear(year);
    const q = this.validQuarter(quarter);
    return this.dataSource.transaction(async (tx) => {
      await this.lock(tx);
      const already = await readFrozen(tx, y, q);
      if (already) return already;
      // Bills go out in order: the Q1 true-up subtracts what earlier Q1s froze, which needs them frozen.
      const open: { year: number; quarter: number }[] = await tx.query(
        `SELECT e.year, q.quarter FROM (SELECT DISTINCT year FROM cost_estimate WHERE year <= $1) e
           CROSS JOIN generate_series(1, 4) AS q(quarter)
          WHERE (e.year, q.quarter) < ($1, $2)
            AND NOT EXISTS (SELECT 1 FROM settlement_quarter s WHERE s.year = e.year AND s.quarter = q.quarter)
          ORDER BY 1, 2 LIMIT 1`,
        [y, q],
      );
      const earlier = open[0];
      if (earlier)
        throw conflict(`Close ${earlier.year} Q${earlier.quarter} first: quarters are closed in order`, {
          openYear: earlier.year,
          openQuarter: earlier.quarter,
        });
      const settlement = await this.computed(() => readSettlement(tx, y, q));
      if (settlement.lines.length === 0)
        throw badInput(`${y} Q${q} has nothing to bill: import municipalities and cost estimates first`, {
          field: 'year',
        });
      const now = this.clock.now();
      await freeze(tx, settlement, now, this.actor(user), user.role);
      const total = settlement.areaTotals.reduce((sum, t) => sum + t.totalOere, 0n);
      await this.record(tx, user, 'CLOSE_QUARTER', y, q, [
        { subject: `${y} Q${q}`, field: 'closed', oldValue: null, newValue: `total_oere=${total}` },
      ]);
      return (await readFrozen(tx, y, q)) as StoredSettlement;
    });
  }

  importMunicipalities(user: AuthenticatedUser, year: number, csv: string): Promise<ImportReport> {
    const y = this.validYear(year);
    return this.runImport(
      user,
      'IMPORT_MUNICIPALITIES',
      y,
      null,
      async () => parseMunicipalitiesCsv(csv),
      async (tx, rows) => {
        const codes = rows.map((r) => r.code);
        const current: { code: string; name: string; inhabitants: number | null }[] = await tx.query(
          `SELECT m.code, m.name, p.inhabitants FROM municipality m
             LEFT JOIN municipality_population p ON p.municipality_code = m.code AND p.year = $2
            WHERE m.code = ANY($1)`,
          [codes, y],
        );
        const { changed, changes } = changedRows(
          rows,
          (row) => row.code,
          new Map(current.map((c) => [c.code, c])),
          [
            ['name', (row) => row.name, (before) => before.name],
            ['inhabitants', (row) => row.inhabitants, (before) => before.inhabitants],
          ],
        );
        if (changed.length > 0) {
          await tx.query(
            `INSERT INTO municipality (code, name) SELECT * FROM unnest($1::text[], $2::text[])
             ON CONFLICT (code) DO UPDATE SET name = excluded.name`,
            [changed.map((r) => r.code), changed.map((r) => r.name)],
          );
          await tx.query(
            `INSERT INTO municipality_population (year, municipality_code, inhabitants)
             SELECT $1, * FROM unnest($2::text[], $3::int[])
             ON CONFLICT (year, municipality_code) DO UPDATE SET inhabitants = excluded.inhabitants`,
            [y, changed.map((r) => r.code), changed.map((r) => r.inhabitants)],
          );
        }
        return changes;
      },
    );
  }

  importDataAreas(user: AuthenticatedUser, csv: string): Promise<ImportReport> {
    return this.runImport(
      user,
      'IMPORT_DATA_AREAS',
      null,
      null,
      async () => parseDataAreasCsv(csv),
      async (tx, rows) => {
        const current: { code: string; name: string; keys: string }[] = await tx.query(
          "SELECT code, name, array_to_string(interface_keys, ' ') AS keys FROM data_area WHERE code = ANY($1)",
          [rows.map((r) => r.code)],
        );
        const { changed, changes } = changedRows(
          rows,
          (row) => row.code,
          new Map(current.map((c) => [c.code, c])),
          [
            ['name', (row) => row.name, (before) => before.name],
            ['interface_keys', (row) => row.interfaceKeys.join(' '), (before) => before.keys],
          ],
        );
        for (const row of changed)
          await tx.query(
            `INSERT INTO data_area (code, name, interface_keys) VALUES ($1, $2, $3)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, interface_keys = excluded.interface_keys`,
            [row.code, row.name, row.interfaceKeys],
          );
        return changes;
      },
    );
  }

  importCostEstimates(user: AuthenticatedUser, year: number, csv: string): Promise<ImportReport> {
    const y = this.validYear(year);
    return this.runImport(
      user,
      'IMPORT_COST_ESTIMATES',
      y,
      null,
      async (tx) => parseCostEstimatesCsv(csv, await this.areaCodes(tx)),
      async (tx, rows) => {
        const current: { area: string; fixed: string; variable: string; expected: string }[] = await tx.query(
          `SELECT data_area_code AS area, fixed_oere::text AS fixed, variable_oere::text AS variable,
                  expected_lookups::text AS expected FROM cost_estimate WHERE year = $1`,
          [y],
        );
        const { changed, changes } = changedRows(
          rows,
          (row) => row.dataAreaCode,
          new Map(current.map((c) => [c.area, c])),
          [
            ['fixed_oere', (row) => row.fixedOere, (before) => before.fixed],
            ['variable_oere', (row) => row.variableOere, (before) => before.variable],
            ['expected_lookups', (row) => row.expectedLookups, (before) => before.expected],
          ],
        );
        if (changed.length > 0)
          await tx.query(
            `INSERT INTO cost_estimate (year, data_area_code, fixed_oere, variable_oere, expected_lookups)
             SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
             ON CONFLICT (year, data_area_code) DO UPDATE SET fixed_oere = excluded.fixed_oere,
               variable_oere = excluded.variable_oere, expected_lookups = excluded.expected_lookups`,
            [
              y,
              changed.map((r) => r.dataAreaCode),
              changed.map((r) => r.fixedOere.toString()),
              changed.map((r) => r.variableOere.toString()),
              changed.map((r) => r.expectedLookups.toString()),
            ],
          );
        return changes;
      },
    );
  }

  importLookups(user: AuthenticatedUser, year: number, quarter: number, csv: string): Promise<ImportReport> {
    const y = this.validYear(year);
    const q = this.validQuarter(quarter);
    return this.runImport(
      user,
      'IMPORT_LOOKUPS',
      y,
      q,
      async (tx) => {
        const municipalities: { code: string }[] = await tx.query(
          'SELECT municipality_code AS code FROM municipality_population WHERE year = $1',
          [y],
        );
        return parseLookupsCsv(csv, new Set(municipalities.map((m) => m.code)), await this.areaCodes(tx));
      },
      async (tx, rows) => {
        const current: { m: string; area: string; lookups: string }[] = await tx.query(
          `SELECT municipality_code AS m, data_area_code AS area, lookups::text FROM lookup_count
            WHERE year = $1 AND quarter = $2`,
          [y, q],
        );
        const { changed, changes } = changedRows(
          rows,
          (row) => `${row.municipalityCode} ${row.dataAreaCode}`,
          new Map(current.map((c) => [`${c.m} ${c.area}`, c])),
          [['lookups', (row) => row.lookups, (before) => before.lookups]],
        );
        if (changed.length > 0)
          await tx.query(
            `INSERT INTO lookup_count (year, quarter, municipality_code, data_area_code, lookups)
             SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::bigint[])
             ON CONFLICT (year, quarter, municipality_code, data_area_code) DO UPDATE SET lookups = excluded.lookups`,
            [
              y,
              q,
              changed.map((r) => r.municipalityCode),
              changed.map((r) => r.dataAreaCode),
              changed.map((r) => r.lookups.toString()),
            ],
          );
        return changes;
      },
    );
  }

  importRealisedCosts(user: AuthenticatedUser, year: number, csv: string): Promise<ImportReport> {
    const y = this.validYear(year);
    return this.runImport(
      user,
      'IMPORT_REALISED_COSTS',
      y,
      null,
      async (tx) => parseRealisedCostsCsv(csv, await this.areaCodes(tx)),
      async (tx, rows) => {
        const current: { area: string; fixed: string; variable: string }[] = await tx.query(
          `SELECT data_area_code AS area, fixed_oere::text AS fixed, variable_oere::text AS variable
             FROM realised_cost WHERE year = $1`,
          [y],
        );
        const { changed, changes } = changedRows(
          rows,
          (row) => row.dataAreaCode,
          new Map(current.map((c) => [c.area, c])),
          [
            ['fixed_oere', (row) => row.fixedOere, (before) => before.fixed],
            ['variable_oere', (row) => row.variableOere, (before) => before.variable],
          ],
        );
        if (changed.length > 0)
          await tx.query(
            `INSERT INTO realised_cost (year, data_area_code, fixed_oere, variable_oere)
             SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[])
             ON CONFLICT (year, data_area_code) DO UPDATE SET fixed_oere = excluded.fixed_oere,
               variable_oere = excluded.variable_oere`,
            [
              y,
              changed.map((r) => r.dataAreaCode),
              changed.map((r) => r.fixedOere.toString()),
              changed.map((r) => r.variableOere.toString()),
            ],
          );
        return changes;
      },
    );
  }

  /**
   * One import: parse and check every row under the settlement lock; with any
   * bad row nothing is written and each is reported; otherwise the changed
   * rows are written with one history row per changed value, in one
   * transaction. Rows equal to what is stored change nothing, so the same
   * file imported twice reports rowsChanged: 0 the second time.
   */
  private runImport<Row>(
    user: AuthenticatedUser,
    action: string,
    year: number | null,
    quarter: Quarter | null,
    parse: (tx: EntityManager) => Promise<ParsedImport<Row>>,
    apply: (tx: EntityManager, rows: readonly Row[]) => Promise<Change[]>,
  ): Promise<ImportReport> {
    return this.dataSource.transaction(async (tx) => {
      await this.lock(tx);
      const parsed = await parse(tx);
      if (parsed.errors.length > 0)
        return { applied: false, rowsRead: parsed.rowsRead, rowsChanged: 0, errors: [...parsed.errors] };
      const changes = await apply(tx, parsed.rows);
      await this.record(tx, user, action, year, quarter, changes);
      return {
        applied: true,
        rowsRead: parsed.rowsRead,
        rowsChanged: new Set(changes.map((c) => c.subject)).size,
        errors: [],
      };
    });
  }

  private async record(
    tx: EntityManager,
    user: AuthenticatedUser,
    action: string,
    year: number | null,
    quarter: number | null,
    changes: Change[],
  ): Promise<void> {
    if (changes.length === 0) return;
    await tx.query(
      `INSERT INTO settlement_change (occurred_at, actor, actor_role, action, year, quarter, subject, field, old_value, new_value)
       SELECT $1, $2, $3, $4, $5, $6, * FROM unnest($7::text[], $8::text[], $9::text[], $10::text[])`,
      [
        this.clock.now(),
        this.actor(user),
        user.role,
        action,
        year,
        quarter,
        changes.map((c) => c.subject),
        changes.map((c) => c.field),
        changes.map((c) => c.oldValue),
        changes.map((c) => c.newValue),
      ],
    );
  }

  private actor(user: AuthenticatedUser): string {
    return user.name ? `${user.name} <${user.subject}>` : user.subject;
  }

  private async areaCodes(tx: EntityManager): Promise<Set<string>> {
    const rows: { code: string }[] = await tx.query('SELECT code FROM data_area');
    return new Set(rows.map((r) => r.code));
  }

  private async lock(tx: EntityManager): Promise<void> {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('snitflow:settlement'))");
  }

  /** Figures that cannot be billed (a fixed cost and nobody with inhabitants) are the caller's to fix. */
  private async computed<T>(compute: () => Promise<T>): Promise<T> {
    try {
      return await compute();
    } catch (error) {
      if (error instanceof SettlementInputError) throw badInput(error.message, { field: 'year' });
      throw error;
    }
  }
}

/** One column an import compares: its name, the value in the file's row, the value stored. */
type ComparedField<Row, Stored> = readonly [
  field: string,
  inFile: (row: Row) => string | number | bigint,
  stored: (before: Stored) => string | number | null,
];

/**
 * The rows of an import that change something, and each changed value (one history row each),
 * compared as text so 12 and '12' and 12n are one value. `subjectOf` keys a row the way `stored`
 * is keyed (a code, or "municipality area"); a row with nothing stored changes every field
 * (old value null). Every import compares this way, so an unchanged file changes nothing.
 */
function changedRows<Row, Stored>(
  rows: readonly Row[],
  subjectOf: (row: Row) => string,
  stored: ReadonlyMap<string, Stored>,
  fields: readonly ComparedField<Row, Stored>[],
): { changed: Row[]; changes: Change[] } {
  const changes: Change[] = [];
  const changed = rows.filter((row) => {
    const subject = subjectOf(row);
    const before = stored.get(subject);
    const diff = fields.flatMap(([field, inFile, storedValue]) => {
      const newValue = String(inFile(row));
      const value = before === undefined ? null : storedValue(before);
      const oldValue = value === null ? null : String(value);
      return oldValue === newValue ? [] : [{ subject, field, oldValue, newValue }];
    });
    changes.push(...diff);
    return diff.length > 0;
  });
  return { changed, changes };
}
