import { Field, Int, ObjectType } from '@nestjs/graphql';
import { BigIntScalar } from '../graphql/scalars.js';
import type { StoredSettlement } from './settlement.store.js';

@ObjectType('SettlementLine', {
  description:
    "One municipality's bill for one data area in one quarter, in øre. fixed: its inhabitants' share of a quarter of the yearly fixed estimate; variable: its lookups' share of a quarter of the yearly variable estimate; trueUp (Q1 only): realised share minus billed for earlier years. Rules: README 'Settlement', from the deck's last slide.",
})
export class SettlementLineModel {
  @Field()
  municipalityCode: string;

  @Field()
  dataAreaCode: string;

  @Field(() => BigIntScalar, { description: 'øre' })
  fixedOere: bigint;

  @Field(() => BigIntScalar, { description: 'øre' })
  variableOere: bigint;

  @Field(() => BigIntScalar, {
    description: "øre. Non-zero only in Q1: the previous year's true-up (realised share minus billed).",
  })
  trueUpOere: bigint;

  @Field(() => BigIntScalar, { description: 'øre: fixed + variable + trueUp' })
  totalOere: bigint;

  @Field(() => BigIntScalar, {
    description: "The basis of the fixed share: the municipality's inhabitants that year.",
  })
  inhabitants: bigint;

  @Field(() => BigIntScalar, {
    description: 'The basis of the variable share: its lookups in this area this quarter.',
  })
  lookups: bigint;

  @Field(() => BigIntScalar, {
    nullable: true,
    description:
      'Q1: its share (øre) of the realised costs of the years settled; null when there is no true-up.',
  })
  trueUpRealisedShareOere: bigint | null;

  @Field(() => BigIntScalar, {
    nullable: true,
    description: 'Q1: what its quarters billed (øre) for those years.',
  })
  trueUpBilledOere: bigint | null;

  @Field(() => BigIntScalar, {
    nullable: true,
    description: 'Q1: true-ups (øre) already settled in earlier Q1s; a late correction is what remains.',
  })
  trueUpSettledBeforeOere: bigint | null;
}

@ObjectType('SettlementAreaTotal', {
  description: 'Per data area, the sums of its lines (øre), and what the shares are measured against.',
})
export class SettlementAreaTotalModel {
  @Field()
  dataAreaCode: string;

  @Field(() => BigIntScalar)
  fixedOere: bigint;

  @Field(() => BigIntScalar)
  variableOere: bigint;

  @Field(() => BigIntScalar)
  trueUpOere: bigint;

  @Field(() => BigIntScalar)
  totalOere: bigint;

  @Field(() => BigIntScalar, { description: "The year's fixed estimate (øre); fixedOere is its quarter." })
  yearlyFixedOere: bigint;

  @Field(() => BigIntScalar, { description: "The year's variable estimate (øre)." })
  yearlyVariableOere: bigint;

  @Field(() => BigIntScalar, {
    description: "This quarter's part of the variable estimate (øre): billed, or waiting for the true-up.",
  })
  quarterVariableOere: bigint;

  @Field(() => BigIntScalar, { description: 'Σ inhabitants of the municipalities billed.' })
  inhabitants: bigint;

  @Field(() => BigIntScalar, { description: 'Σ lookups in this area this quarter.' })
  lookups: bigint;

  @Field({
    description: "True when nobody looked anything up: the quarter's variable cost waits for the true-up.",
  })
  variableDeferred: boolean;
}

@ObjectType('Settlement', { description: "A quarter's bills; frozen once the quarter is closed." })
export class SettlementModel {
  @Field(() => Int)
  year: number;

  @Field(() => Int)
  quarter: number;

  @Field({ description: 'Closed quarters never change: corrections flow into the next Q1 true-up.' })
  closed: boolean;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;

  @Field(() => String, { nullable: true })
  closedBy: string | null;

  @Field(() => [SettlementLineModel], { description: 'By municipality code, then data area code.' })
  lines: SettlementLineModel[];

  @Field(() => [SettlementAreaTotalModel], { description: 'By data area code; each column sums its lines.' })
  areaTotals: SettlementAreaTotalModel[];
}

@ObjectType('Municipality')
export class MunicipalityModel {
  @Field({ description: 'The official three-digit municipality code, e.g. 101 for København.' })
  code: string;

  @Field()
  name: string;

  @Field(() => Int, { description: 'The population figure for the year asked for.' })
  inhabitants: number;
}

@ObjectType('DataArea', { description: 'A named group of interfaces billed together.' })
export class DataAreaModel {
  @Field()
  code: string;

  @Field()
  name: string;

  @Field(() => [String])
  interfaceKeys: string[];
}

@ObjectType('ImportRowError', { description: 'One bad row of an import.' })
export class ImportRowErrorModel {
  @Field(() => Int, { description: '1-based line in the CSV; the header is line 1.' })
  line: number;

  @Field(() => String, {
    nullable: true,
    description: 'The column; null when the whole row or file is wrong.',
  })
  field: string | null;

  @Field()
  reason: string;
}

@ObjectType('ImportReport', {
  description:
    'An import applies all its rows or none. rowsChanged: rows whose stored values changed (0 on a re-import).',
})
export class ImportReportModel {
  @Field()
  applied: boolean;

  @Field(() => Int)
  rowsRead: number;

  @Field(() => Int)
  rowsChanged: number;

  @Field(() => [ImportRowErrorModel])
  errors: ImportRowErrorModel[];
}

@ObjectType('SettlementChange', {
  description: 'One value changed by an import, or a quarter closed: what, when, by whom.',
})
export class SettlementChangeModel {
  @Field()
  id: string;

  @Field()
  occurredAt: Date;

  @Field()
  actor: string;

  @Field()
  actorRole: string;

  @Field({
    description:
      'IMPORT_MUNICIPALITIES, IMPORT_DATA_AREAS, IMPORT_COST_ESTIMATES, IMPORT_LOOKUPS, IMPORT_REALISED_COSTS or CLOSE_QUARTER',
  })
  action: string;

  @Field(() => Int, { nullable: true })
  year: number | null;

  @Field(() => Int, { nullable: true })
  quarter: number | null;

  @Field({
    description:
      'What changed: a municipality code, a data area, "101 INCOME" for lookups, "2026 Q1" for a close.',
  })
  subject: string;

  @Field()
  field: string;

  @Field(() => String, { nullable: true })
  oldValue: string | null;

  @Field(() => String, { nullable: true })
  newValue: string | null;
}

/** The GraphQL shape of a quarter's bills (the true-up's parts flattened onto the line). */
export function presentSettlement(settlement: StoredSettlement): SettlementModel {
  return {
    year: settlement.year,
    quarter: settlement.quarter,
    closed: settlement.closed,
    closedAt: settlement.closedAt,
    closedBy: settlement.closedBy,
    lines: settlement.lines.map((line) => ({
      municipalityCode: line.municipalityCode,
      dataAreaCode: line.dataAreaCode,
      fixedOere: line.fixedOere,
      variableOere: line.variableOere,
      trueUpOere: line.trueUpOere,
      totalOere: line.totalOere,
      inhabitants: line.inhabitants,
      lookups: line.lookups,
      trueUpRealisedShareOere: line.trueUp?.realisedShareOere ?? null,
      trueUpBilledOere: line.trueUp?.billedOere ?? null,
      trueUpSettledBeforeOere: line.trueUp?.settledBeforeOere ?? null,
    })),
    areaTotals: settlement.areaTotals.map((total) => ({ ...total })),
  };
}
