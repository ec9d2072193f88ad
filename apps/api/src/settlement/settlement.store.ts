import {
  computeQuarter,
  computeTrueUp,
  type MunicipalityAmount,
  type Quarter,
  type QuarterAreaTotal,
  type QuarterInput,
  type QuarterLine,
  type QuarterSettlement,
  type TrueUpYearInput,
} from '@snitflow/settlement';
import type { EntityManager } from 'typeorm';

/**
 * Reads what a quarter's bills are computed from, and the frozen bills of
 * closed quarters. Plain SQL over a TypeORM manager (a transaction's or the
 * data source's), so the API and the benchmark read exactly the same rows.
 * Every bigint column is read as text and turned into a BigInt: øre are
 * never a JavaScript number.
 */

export interface StoredSettlement extends QuarterSettlement {
  readonly closed: boolean;
  readonly closedAt: Date | null;
  readonly closedBy: string | null;
}

interface Queryable {
  query: EntityManager['query'];
}

/** Runs the reads one after the other: inside a transaction they share one connection anyway. */
async function sequence<const T extends readonly (() => Promise<unknown>)[]>(
  reads: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}

async function rows<T>(db: Queryable, sql: string, params: unknown[]): Promise<T[]> {
  return (await db.query(sql, params)) as T[];
}

// Rows as the queries below read them (bigints as text, since a JavaScript number would round
// them), turned into the settlement's inputs. Quarters and true-ups read the same shapes.
function toPopulation(row: { code: string; inhabitants: string }) {
  return { code: row.code, inhabitants: BigInt(row.inhabitants) };
}

function toAreaCost(row: { area: string; fixed: string; variable: string }) {
  return { dataAreaCode: row.area, fixedOere: BigInt(row.fixed), variableOere: BigInt(row.variable) };
}

function toLookupCount(row: { m: string; area: string; lookups: string }) {
  return { municipalityCode: row.m, dataAreaCode: row.area, lookups: BigInt(row.lookups) };
}

/** The figures of one quarter as they stand now (no true-up). */
export async function readQuarterInput(db: Queryable, year: number, quarter: Quarter): Promise<QuarterInput> {
  const [municipalities, estimates, lookups] = await sequence([
    () =>
      rows<{ code: string; inhabitants: string }>(
        db,
        'SELECT municipality_code AS code, inhabitants::text FROM municipality_population WHERE year = $1',
        [year],
      ),
    () =>
      rows<{ area: string; fixed: string; variable: string }>(
        db,
        'SELECT data_area_code AS area, fixed_oere::text AS fixed, variable_oere::text AS variable FROM cost_estimate WHERE year = $1',
        [year],
      ),
    () =>
      rows<{ m: string; area: string; lookups: string }>(
        db,
        `SELECT municipality_code AS m, data_area_code AS area, lookups::text
         FROM lookup_count WHERE year = $1 AND quarter = $2`,
        [year, quarter],
      ),
  ]);
  return {
    year,
    quarter,
    municipalities: municipalities.map(toPopulation),
    estimates: estimates.map(toAreaCost),
    lookups: lookups.map(toLookupCount),
  };
}

/** A closed quarter's frozen bills, or null when it is open. */
export async function readFrozen(
  db: Queryable,
  year: number,
  quarter: Quarter,
): Promise<StoredSettlement | null> {
  const head = await rows<{ closed_at: Date; closed_by: string }>(
    db,
    'SELECT closed_at, closed_by FROM settlement_quarter WHERE year = $1 AND quarter = $2',
    [year, quarter],
  );
  const closed = head[0];
  if (!closed) return null;
  const [lines, totals] = await sequence([
    () =>
      rows<Record<string, string | null>>(
        db,
        `SELECT municipality_code, data_area_code, fixed_oere::text, variable_oere::text, true_up_oere::text,
              total_oere::text, inhabitants::text, lookups::text, true_up_realised_oere::text,
              true_up_billed_oere::text, true_up_settled_before_oere::text
         FROM settlement_line WHERE year = $1 AND quarter = $2
        ORDER BY municipality_code COLLATE "C", data_area_code COLLATE "C"`,
        [year, quarter],
      ),
    () =>
      rows<Record<string, string | boolean>>(
        db,
        `SELECT data_area_code, fixed_oere::text, variable_oere::text, true_up_oere::text, total_oere::text,
              yearly_fixed_oere::text, yearly_variable_oere::text, quarter_variable_oere::text,
              inhabitants::text, lookups::text, variable_deferred
         FROM settlement_area_total WHERE year = $1 AND quarter = $2 ORDER BY data_area_code COLLATE "C"`,
        [year, quarter],
      ),
  ]);
  const big = (value: string | boolean | null | undefined) => BigInt(String(value ?? '0'));
  return {
    year,
    quarter,
    closed: true,
    closedAt: closed.closed_at,
    closedBy: closed.closed_by,
    lines: lines.map(
      (r): QuarterLine => ({
        municipalityCode: String(r.municipality_code),
        dataAreaCode: String(r.data_area_code),
        fixedOere: big(r.fixed_oere),
        variableOere: big(r.variable_oere),
        trueUpOere: big(r.true_up_oere),
        totalOere: big(r.total_oere),
        inhabitants: big(r.inhabitants),
        lookups: big(r.lookups),
        trueUp:
          r.true_up_realised_oere === null
            ? null
            : {
                municipalityCode: String(r.municipality_code),
                dataAreaCode: String(r.data_area_code),
                realisedShareOere: big(r.true_up_realised_oere),
                billedOere: big(r.true_up_billed_oere),
                settledBeforeOere: big(r.true_up_settled_before_oere),
                trueUpOere: big(r.true_up_oere),
              },
      }),
    ),
    areaTotals: totals.map(
      (r): QuarterAreaTotal => ({
        dataAreaCode: String(r.data_area_code),
        fixedOere: big(r.fixed_oere),
        variableOere: big(r.variable_oere),
        trueUpOere: big(r.true_up_oere),
        totalOere: big(r.total_oere),
        yearlyFixedOere: big(r.yearly_fixed_oere),
        yearlyVariableOere: big(r.yearly_variable_oere),
        quarterVariableOere: big(r.quarter_variable_oere),
        inhabitants: big(r.inhabitants),
        lookups: big(r.lookups),
        variableDeferred: r.variable_deferred === true,
      }),
    ),
  };
}

/**
 * What a year's four quarters billed (fixed + variable, the true-up not
 * included): the frozen bills of closed quarters, today's computation of
 * open ones.
 */
async function billedFor(db: Queryable, year: number): Promise<MunicipalityAmount[]> {
  // The closed quarters' bills summed in Postgres (one row per municipality and area, not four).
  const closed = await rows<{ quarter: number }>(
    db,
    'SELECT quarter FROM settlement_quarter WHERE year = $1',
    [year],
  );
  const frozen = await rows<{ m: string; area: string; oere: string }>(
    db,
    `SELECT municipality_code AS m, data_area_code AS area, sum(fixed_oere + variable_oere)::text AS oere
       FROM settlement_line WHERE year = $1 GROUP BY 1, 2`,
    [year],
  );
  const billed: MunicipalityAmount[] = frozen.map((r) => ({
    municipalityCode: r.m,
    dataAreaCode: r.area,
    oere: BigInt(r.oere),
  }));
  const closedQuarters = new Set(closed.map((r) => Number(r.quarter)));
  for (const quarter of [1, 2, 3, 4] as const) {
    if (closedQuarters.has(quarter)) continue;
    for (const line of computeQuarter(await readQuarterInput(db, year, quarter)).lines)
      billed.push({
        municipalityCode: line.municipalityCode,
        dataAreaCode: line.dataAreaCode,
        oere: line.fixedOere + line.variableOere,
      });
  }
  return billed;
}

/**
 * The inputs of Q1 `year`'s true-up: every earlier year with realised costs
 * (figures as they stand now), and the true-ups frozen in earlier closed Q1s.
 */
export async function readTrueUpInput(
  db: Queryable,
  year: number,
): Promise<{ years: TrueUpYearInput[]; settledBefore: MunicipalityAmount[] }> {
  const realisedYears = await rows<{ year: number }>(
    db,
    'SELECT DISTINCT year FROM realised_cost WHERE year < $1 ORDER BY year',
    [year],
  );
  const years: TrueUpYearInput[] = [];
  for (const { year: settledYear } of realisedYears) {
    const [population, realised, lookups, billed] = await sequence([
      () =>
        rows<{ code: string; inhabitants: string }>(
          db,
          'SELECT municipality_code AS code, inhabitants::text FROM municipality_population WHERE year = $1',
          [settledYear],
        ),
      () =>
        rows<{ area: string; fixed: string; variable: string }>(
          db,
          'SELECT data_area_code AS area, fixed_oere::text AS fixed, variable_oere::text AS variable FROM realised_cost WHERE year = $1',
          [settledYear],
        ),
      () =>
        rows<{ m: string; area: string; lookups: string }>(
          db,
          `SELECT municipality_code AS m, data_area_code AS area, sum(lookups)::text AS lookups
           FROM lookup_count WHERE year = $1 GROUP BY 1, 2`,
          [settledYear],
        ),
      () => billedFor(db, settledYear),
    ]);
    years.push({
      year: settledYear,
      municipalities: population.map(toPopulation),
      realised: realised.map(toAreaCost),
      lookups: lookups.map(toLookupCount),
      billed,
    });
  }
  const settled = await rows<{ m: string; area: string; oere: string }>(
    db,
    `SELECT municipality_code AS m, data_area_code AS area, sum(true_up_oere)::text AS oere
       FROM settlement_line WHERE quarter = 1 AND year < $1 GROUP BY 1, 2`,
    [year],
  );
  return {
    years,
    settledBefore: settled.map((r) => ({
      municipalityCode: r.m,
      dataAreaCode: r.area,
      oere: BigInt(r.oere),
    })),
  };
}

/** A quarter's bills: frozen when closed, else computed from today's figures (Q1 with its true-up). */
export async function readSettlement(
  db: Queryable,
  year: number,
  quarter: Quarter,
): Promise<StoredSettlement> {
  const frozen = await readFrozen(db, year, quarter);
  if (frozen) return frozen;
  const input = await readQuarterInput(db, year, quarter);
  const trueUp =
    quarter === 1
      ? await readTrueUpInput(db, year).then(({ years, settledBefore }) =>
          computeTrueUp(years, settledBefore),
        )
      : [];
  return {
    ...computeQuarter({
      ...input,
      trueUp: trueUp.filter(
        (l) =>
          l.trueUpOere !== 0n ||
          l.billedOere !== 0n ||
          l.realisedShareOere !== 0n ||
          l.settledBeforeOere !== 0n,
      ),
    }),
    closed: false,
    closedAt: null,
    closedBy: null,
  };
}

/** Writes a computed quarter as frozen: its head, lines and area totals (in the caller's transaction). */
export async function freeze(
  db: Queryable,
  settlement: QuarterSettlement,
  closedAt: Date,
  closedBy: string,
  closedByRole: string,
): Promise<void> {
  const { year, quarter } = settlement;
  await db.query(
    'INSERT INTO settlement_quarter (year, quarter, closed_at, closed_by, closed_by_role) VALUES ($1, $2, $3, $4, $5)',
    [year, quarter, closedAt, closedBy, closedByRole],
  );
  const column = <T>(pick: (line: QuarterLine) => T) => settlement.lines.map(pick);
  const text = (value: bigint | undefined | null) =>
    value === undefined || value === null ? null : value.toString();
  // One statement per table (unnest of arrays): 2,000 lines freeze in one round trip.
  await db.query(
    `INSERT INTO settlement_line (year, quarter, municipality_code, data_area_code, fixed_oere, variable_oere,
            true_up_oere, total_oere, inhabitants, lookups, true_up_realised_oere, true_up_billed_oere,
            true_up_settled_before_oere)
     SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
            $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[])`,
    [
      year,
      quarter,
      column((l) => l.municipalityCode),
      column((l) => l.dataAreaCode),
      column((l) => text(l.fixedOere)),
      column((l) => text(l.variableOere)),
      column((l) => text(l.trueUpOere)),
      column((l) => text(l.totalOere)),
      column((l) => text(l.inhabitants)),
      column((l) => text(l.lookups)),
      column((l) => text(l.trueUp?.realisedShareOere)),
      column((l) => text(l.trueUp?.billedOere)),
      column((l) => text(l.trueUp?.settledBeforeOere)),
    ],
  );
  const totals = settlement.areaTotals;
  const totalColumn = (pick: (total: QuarterAreaTotal) => bigint) => totals.map((t) => pick(t).toString());
  await db.query(
    `INSERT INTO settlement_area_total (year, quarter, data_area_code, fixed_oere, variable_oere, true_up_oere,
            total_oere, yearly_fixed_oere, yearly_variable_oere, quarter_variable_oere, inhabitants, lookups,
            variable_deferred)
     SELECT $1, $2, * FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
            $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::boolean[])`,
    [
      year,
      quarter,
      totals.map((t) => t.dataAreaCode),
      totalColumn((t) => t.fixedOere),
      totalColumn((t) => t.variableOere),
      totalColumn((t) => t.trueUpOere),
      totalColumn((t) => t.totalOere),
      totalColumn((t) => t.yearlyFixedOere),
      totalColumn((t) => t.yearlyVariableOere),
      totalColumn((t) => t.quarterVariableOere),
      totalColumn((t) => t.inhabitants),
      totalColumn((t) => t.lookups),
      totals.map((t) => t.variableDeferred),
    ],
  );
}
