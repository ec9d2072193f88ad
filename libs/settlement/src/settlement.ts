import {
  allocate,
  compareKeys,
  SettlementInputError,
  splitYearIntoQuarters,
  type Weight,
} from './allocation.js';

/**
 * The bills of one quarter and the annual true-up, from figures already read.
 * The rules are the deck's last slide, made precise in issue 10 and the
 * README ("Settlement"): fixed costs by inhabitants, variable costs by the
 * quarter's lookups, and in Q1 the difference between the previous year's
 * realised costs and what was billed for it. All amounts are integer øre.
 */

export type Quarter = 1 | 2 | 3 | 4;

/** A municipality's population figure for the year being billed. */
export interface MunicipalityFigure {
  readonly code: string;
  readonly inhabitants: bigint;
}

/** A data area's yearly costs, in øre: KOMBIT's estimate, or the realised costs. */
export interface AreaCosts {
  readonly dataAreaCode: string;
  readonly fixedOere: bigint;
  readonly variableOere: bigint;
}

/** Lookups of one municipality in one data area (a quarter's, or a year's when summed). */
export interface LookupCount {
  readonly municipalityCode: string;
  readonly dataAreaCode: string;
  readonly lookups: bigint;
}

/** An amount in øre owed by one municipality for one data area. */
export interface MunicipalityAmount {
  readonly municipalityCode: string;
  readonly dataAreaCode: string;
  readonly oere: bigint;
}

/** How one municipality's true-up for one data area came about (all øre). */
export interface TrueUpLine {
  readonly municipalityCode: string;
  readonly dataAreaCode: string;
  /** Its share of the realised costs of every year settled so far. */
  readonly realisedShareOere: bigint;
  /** What its quarters billed (fixed + variable) for those years. */
  readonly billedOere: bigint;
  /** True-ups already frozen in earlier closed Q1s. */
  readonly settledBeforeOere: bigint;
  /** realisedShare − billed − settledBefore: positive it pays more, negative it gets money back. */
  readonly trueUpOere: bigint;
}

export interface QuarterInput {
  readonly year: number;
  readonly quarter: Quarter;
  /** The population figures for `year`. */
  readonly municipalities: readonly MunicipalityFigure[];
  /** KOMBIT's yearly estimates for `year`, per data area. */
  readonly estimates: readonly AreaCosts[];
  /** The quarter's lookups; rows for the same municipality and area are added up. */
  readonly lookups: readonly LookupCount[];
  /** Q1 only: the true-up of the years before (see computeTrueUp). */
  readonly trueUp?: readonly TrueUpLine[];
}

export interface QuarterLine {
  readonly municipalityCode: string;
  readonly dataAreaCode: string;
  readonly fixedOere: bigint;
  readonly variableOere: bigint;
  readonly trueUpOere: bigint;
  readonly totalOere: bigint;
  /** The basis of the fixed share: this municipality's inhabitants. */
  readonly inhabitants: bigint;
  /** The basis of the variable share: its lookups in this area this quarter. */
  readonly lookups: bigint;
  /** How the true-up came about; null when there is none (Q2–Q4, or nothing settled). */
  readonly trueUp: TrueUpLine | null;
}

export interface QuarterAreaTotal {
  readonly dataAreaCode: string;
  readonly fixedOere: bigint;
  readonly variableOere: bigint;
  readonly trueUpOere: bigint;
  readonly totalOere: bigint;
  /** The yearly estimate this quarter bills a quarter of. */
  readonly yearlyFixedOere: bigint;
  readonly yearlyVariableOere: bigint;
  /** This quarter's part of the yearly variable estimate (billed, or waiting when there were no lookups). */
  readonly quarterVariableOere: bigint;
  /** Σ inhabitants and Σ lookups: what every share is measured against. */
  readonly inhabitants: bigint;
  readonly lookups: bigint;
  /** True when no municipality had a lookup: the quarter's variable cost waits for the true-up. */
  readonly variableDeferred: boolean;
}

export interface QuarterSettlement {
  readonly year: number;
  readonly quarter: Quarter;
  /** One line per municipality and data area, by municipality code then data area code. */
  readonly lines: readonly QuarterLine[];
  /** One per data area, by code; each column is the sum of the lines' column. */
  readonly areaTotals: readonly QuarterAreaTotal[];
}

const key = (municipalityCode: string, dataAreaCode: string) => `${municipalityCode}\u0000${dataAreaCode}`;

function sumLookups(lookups: readonly LookupCount[]): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const row of lookups) {
    if (row.lookups < 0n)
      throw new SettlementInputError(
        `${row.municipalityCode}/${row.dataAreaCode}: lookups cannot be negative`,
      );
    const k = key(row.municipalityCode, row.dataAreaCode);
    sums.set(k, (sums.get(k) ?? 0n) + row.lookups);
  }
  return sums;
}

function inhabitantWeights(year: number, municipalities: readonly MunicipalityFigure[]) {
  const weights = municipalities.map((m) => ({ key: m.code, weight: m.inhabitants }));
  return { weights, total: weights.reduce((sum, w) => sum + w.weight, 0n), year };
}

/**
 * Computes one quarter's bills: per data area a quarter of the yearly fixed
 * estimate split by inhabitants, and a quarter of the yearly variable
 * estimate split by the quarter's lookups (no lookups at all: no variable
 * bill, the amount waits for the true-up); in Q1 the true-up given is added.
 * Lines cover every municipality with a population figure (and any with a
 * true-up) × every estimated data area (and any with a true-up).
 *
 * @throws SettlementInputError when a fixed cost has nobody to be split over
 * (no inhabitants that year), for negative figures, and for a true-up outside Q1.
 */
export function computeQuarter(input: QuarterInput): QuarterSettlement {
  if (input.trueUp?.length && input.quarter !== 1)
    throw new SettlementInputError('a true-up is settled in Q1 only');
  const population = inhabitantWeights(input.year, input.municipalities);
  // Lookups by area, then municipality: no string keys built per line.
  const lookupsByArea = new Map<string, Map<string, bigint>>();
  for (const row of input.lookups) {
    if (row.lookups < 0n)
      throw new SettlementInputError(
        `${row.municipalityCode}/${row.dataAreaCode}: lookups cannot be negative`,
      );
    let byMunicipality = lookupsByArea.get(row.dataAreaCode);
    if (!byMunicipality) {
      byMunicipality = new Map();
      lookupsByArea.set(row.dataAreaCode, byMunicipality);
    }
    byMunicipality.set(row.municipalityCode, (byMunicipality.get(row.municipalityCode) ?? 0n) + row.lookups);
  }
  const trueUps = new Map(
    (input.trueUp ?? []).map((line) => [key(line.municipalityCode, line.dataAreaCode), line]),
  );

  const municipalityCodes = new Set(input.municipalities.map((m) => m.code));
  const areaCodes = new Set(input.estimates.map((e) => e.dataAreaCode));
  for (const line of trueUps.values()) {
    municipalityCodes.add(line.municipalityCode);
    areaCodes.add(line.dataAreaCode);
  }
  const inhabitantsOf = new Map(input.municipalities.map((m) => [m.code, m.inhabitants]));
  const estimateOf = new Map(input.estimates.map((e) => [e.dataAreaCode, e]));
  const municipalitiesSorted = [...municipalityCodes].sort(compareKeys);
  const areasSorted = [...areaCodes].sort(compareKeys);
  const noLookups = new Map<string, bigint>();

  const lines: QuarterLine[] = [];
  const areaTotals: QuarterAreaTotal[] = [];
  const linesByArea = new Map<string, QuarterLine[]>();
  for (const area of areasSorted) {
    const estimate = estimateOf.get(area);
    const yearlyFixed = estimate?.fixedOere ?? 0n;
    const yearlyVariable = estimate?.variableOere ?? 0n;
    const quarterFixed = splitYearIntoQuarters(yearlyFixed)[input.quarter - 1] as bigint;
    const quarterVariable = splitYearIntoQuarters(yearlyVariable)[input.quarter - 1] as bigint;
    if (quarterFixed > 0n && population.total === 0n)
      throw new SettlementInputError(
        `data area ${area}: no municipality has inhabitants for ${input.year}, so its fixed cost cannot be split`,
      );
    const fixed = allocate(quarterFixed, population.weights);
    const areaLookupCounts = lookupsByArea.get(area) ?? noLookups;
    const areaLookups = municipalitiesSorted.map((code) => ({
      key: code,
      weight: areaLookupCounts.get(code) ?? 0n,
    }));
    let totalLookups = 0n;
    for (const w of areaLookups) totalLookups += w.weight;
    const variableDeferred = totalLookups === 0n && quarterVariable > 0n;
    const variable = totalLookups === 0n ? new Map<string, bigint>() : allocate(quarterVariable, areaLookups);
    const areaLines: QuarterLine[] = [];
    // The area's totals are summed from its lines as they are made: they prove the lines sum.
    let fixedSum = 0n;
    let variableSum = 0n;
    let trueUpSum = 0n;
    municipalitiesSorted.forEach((code, index) => {
      const fixedOere = fixed.get(code) ?? 0n;
      const variableOere = variable.get(code) ?? 0n;
      const trueUp = trueUps.size > 0 ? (trueUps.get(key(code, area)) ?? null) : null;
      const trueUpOere = trueUp?.trueUpOere ?? 0n;
      fixedSum += fixedOere;
      variableSum += variableOere;
      trueUpSum += trueUpOere;
      areaLines.push({
        municipalityCode: code,
        dataAreaCode: area,
        fixedOere,
        variableOere,
        trueUpOere,
        totalOere: fixedOere + variableOere + trueUpOere,
        inhabitants: inhabitantsOf.get(code) ?? 0n,
        lookups: (areaLookups[index] as Weight).weight,
        trueUp,
      });
    });
    linesByArea.set(area, areaLines);
    areaTotals.push({
      dataAreaCode: area,
      fixedOere: fixedSum,
      variableOere: variableSum,
      trueUpOere: trueUpSum,
      totalOere: fixedSum + variableSum + trueUpSum,
      yearlyFixedOere: yearlyFixed,
      yearlyVariableOere: yearlyVariable,
      quarterVariableOere: quarterVariable,
      inhabitants: population.total,
      lookups: totalLookups,
      variableDeferred,
    });
  }
  // Every area's lines are in municipality order, so the i-th of each belongs to the i-th municipality.
  municipalitiesSorted.forEach((_code, index) => {
    for (const area of areasSorted)
      lines.push((linesByArea.get(area) as QuarterLine[])[index] as QuarterLine);
  });
  return { year: input.year, quarter: input.quarter, lines, areaTotals };
}

/** One settled year as the true-up needs it. */
export interface TrueUpYearInput {
  readonly year: number;
  /** The population figures for that year (as they stand now, corrections included). */
  readonly municipalities: readonly MunicipalityFigure[];
  /** The realised costs of that year; only these data areas are settled for it. */
  readonly realised: readonly AreaCosts[];
  /** The year's lookups (rows are added up, so the four quarters' rows may be given as they are). */
  readonly lookups: readonly LookupCount[];
  /** What the year's four quarters billed, fixed + variable, per municipality and area. */
  readonly billed: readonly MunicipalityAmount[];
}

/**
 * The Q1 true-up: for every year whose realised costs are entered, each
 * municipality's share of them (fixed by that year's inhabitants, variable by
 * its share of the whole year's lookups) minus what its quarters billed for
 * that year; then minus the true-ups already frozen in earlier closed Q1s.
 * Being cumulative, a correction made after a Q1 was closed (to lookups,
 * inhabitants or costs of any settled year) is not lost: it shows up in the
 * next Q1 instead.
 *
 * A year with realised variable cost in an area that had no lookups at all
 * splits it by inhabitants instead (there is no use to measure it by).
 *
 * Returns one line per municipality and data area that has a share, a bill
 * or an earlier true-up, sorted by municipality then area; lines sum, per
 * area, to Σ realised − Σ billed − Σ settled before.
 *
 * @throws SettlementInputError when realised costs have nobody to be split over.
 */
export function computeTrueUp(
  years: readonly TrueUpYearInput[],
  settledBefore: readonly MunicipalityAmount[],
): TrueUpLine[] {
  const realised = new Map<string, bigint>();
  const billed = new Map<string, bigint>();
  const settled = new Map<string, bigint>();
  const add = (map: Map<string, bigint>, k: string, oere: bigint) => map.set(k, (map.get(k) ?? 0n) + oere);

  for (const year of years) {
    const population = inhabitantWeights(year.year, year.municipalities);
    const lookups = sumLookups(year.lookups);
    const settledAreas = new Set<string>();
    for (const costs of year.realised) {
      settledAreas.add(costs.dataAreaCode);
      if (costs.fixedOere < 0n || costs.variableOere < 0n)
        throw new SettlementInputError(
          `${year.year} ${costs.dataAreaCode}: realised costs cannot be negative`,
        );
      const needsPopulation = costs.fixedOere > 0n || costs.variableOere > 0n;
      if (needsPopulation && population.total === 0n)
        throw new SettlementInputError(
          `${year.year} ${costs.dataAreaCode}: no municipality has inhabitants that year to split realised costs over`,
        );
      for (const [code, oere] of allocate(costs.fixedOere, population.weights))
        add(realised, key(code, costs.dataAreaCode), oere);
      const codes = new Set(year.municipalities.map((m) => m.code));
      for (const k of lookups.keys()) {
        const [code, area] = k.split('\u0000') as [string, string];
        if (area === costs.dataAreaCode) codes.add(code);
      }
      const lookupWeights = [...codes].map((code) => ({
        key: code,
        weight: lookups.get(key(code, costs.dataAreaCode)) ?? 0n,
      }));
      const anyLookups = lookupWeights.some((w) => w.weight > 0n);
      for (const [code, oere] of allocate(
        costs.variableOere,
        anyLookups ? lookupWeights : population.weights,
      ))
        add(realised, key(code, costs.dataAreaCode), oere);
    }
    for (const bill of year.billed)
      if (settledAreas.has(bill.dataAreaCode))
        add(billed, key(bill.municipalityCode, bill.dataAreaCode), bill.oere);
  }
  for (const amount of settledBefore)
    add(settled, key(amount.municipalityCode, amount.dataAreaCode), amount.oere);

  const keys = new Set([...realised.keys(), ...billed.keys(), ...settled.keys()]);
  const lines: TrueUpLine[] = [];
  for (const k of keys) {
    const [municipalityCode, dataAreaCode] = k.split('\u0000') as [string, string];
    const realisedShareOere = realised.get(k) ?? 0n;
    const billedOere = billed.get(k) ?? 0n;
    const settledBeforeOere = settled.get(k) ?? 0n;
    lines.push({
      municipalityCode,
      dataAreaCode,
      realisedShareOere,
      billedOere,
      settledBeforeOere,
      trueUpOere: realisedShareOere - billedOere - settledBeforeOere,
    });
  }
  return lines.sort(
    (a, b) =>
      compareKeys(a.municipalityCode, b.municipalityCode) || compareKeys(a.dataAreaCode, b.dataAreaCode),
  );
}
