/**
 * `npm run bench:settlement`: the cost of settling a year for 98 municipalities × 20 data areas.
 *
 * For each quarter of a year, and for Q1 of the next year with the true-up:
 *   read     the quarter's input rows from Postgres, as the API reads them (settlement.store.ts:
 *            populations, estimates, 1,960 lookup rows; for the true-up also the settled year's
 *            population, realised costs, summed lookups, the four frozen quarters and earlier Q1s)
 *   compute  the bills from those rows (libs/settlement: computeQuarter, computeTrueUp), in BigInt
 * both timed in the same run, the median of BENCH_REPEAT rounds, and their ratio (aim: compute <
 * read). Each quarter is then closed through the real SettlementService (freeze 1,960 lines).
 * Last, the statement page of every municipality for Q1 of the next year is rendered (Liquid, in
 * Danish and English): the time per statement.
 *
 * Own database (created, migrated, dropped even on failure). Knob: BENCH_REPEAT (default 20).
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { systemClock } from '@snitflow/common';
import { createDataSource } from '@snitflow/database';
import { renderPage } from '@snitflow/pages';
import {
  computeQuarter,
  computeTrueUp,
  DEMO_MUNICIPALITIES,
  type Quarter,
  type QuarterInput,
} from '@snitflow/settlement';
import type { DataSource } from 'typeorm';
import { SettlementService } from '../apps/api/src/settlement/settlement.service.js';
import {
  readQuarterInput,
  readSettlement,
  readTrueUpInput,
} from '../apps/api/src/settlement/settlement.store.js';
import { statementData } from '../apps/api/src/settlement/statement.view.js';
import {
  BenchDatabase,
  formatNumber as f,
  installCleanupHooks,
  intEnv,
  machineTimes,
  runBench,
} from './support.js';

const REPEAT = intEnv('BENCH_REPEAT', 20);
const AREAS = 20;
const YEAR = 2030;

/** Deterministic pseudo-random numbers (a 32-bit LCG), so every run bills the same figures. */
function numbers(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

async function load(dataSource: DataSource): Promise<void> {
  const next = numbers(42);
  const codes = DEMO_MUNICIPALITIES.map((m) => m.code);
  const areas = Array.from({ length: AREAS }, (_, i) => `AREA${String(i + 1).padStart(2, '0')}`);
  await dataSource.query(
    'INSERT INTO municipality (code, name) SELECT * FROM unnest($1::text[], $2::text[])',
    [codes, DEMO_MUNICIPALITIES.map((m) => m.name)],
  );
  for (const year of [YEAR, YEAR + 1])
    await dataSource.query(
      'INSERT INTO municipality_population (year, municipality_code, inhabitants) SELECT $1, * FROM unnest($2::text[], $3::int[])',
      [year, codes, DEMO_MUNICIPALITIES.map((m) => m.approximateInhabitants + (year - YEAR) * 100)],
    );
  await dataSource.query(
    "INSERT INTO data_area (code, name, interface_keys) SELECT code, code, ARRAY['SF0462'] FROM unnest($1::text[]) AS code",
    [areas],
  );
  for (const year of [YEAR, YEAR + 1])
    await dataSource.query(
      `INSERT INTO cost_estimate (year, data_area_code, fixed_oere, variable_oere, expected_lookups)
       SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[])`,
      [
        year,
        areas,
        areas.map(() => String(1_000_000_000 + (next() % 900_000_000))),
        areas.map(() => String(100_000_000 + (next() % 90_000_000))),
        areas.map(() => '1000000'),
      ],
    );
  await dataSource.query(
    `INSERT INTO realised_cost (year, data_area_code, fixed_oere, variable_oere)
     SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[])`,
    [
      YEAR,
      areas,
      areas.map(() => String(1_000_000_000 + (next() % 900_000_000))),
      areas.map(() => String(next() % 190_000_000)),
    ],
  );
  for (const year of [YEAR, YEAR + 1])
    for (const quarter of year === YEAR ? [1, 2, 3, 4] : [1]) {
      const rows = codes.flatMap((code) => areas.map((area) => ({ code, area, lookups: next() % 50_000 })));
      await dataSource.query(
        `INSERT INTO lookup_count (year, quarter, municipality_code, data_area_code, lookups)
         SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::bigint[])`,
        [year, quarter, rows.map((r) => r.code), rows.map((r) => r.area), rows.map((r) => String(r.lookups))],
      );
    }
}

/** Median of `REPEAT` timings of `work`, in ms (after one warm-up round). */
async function median<T>(work: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  let result = await work();
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    result = await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? Number.NaN, result };
}

async function main(): Promise<void> {
  const db = new BenchDatabase(`snitflow_bench_settlement_${process.pid}`);
  const removeHooks = installCleanupHooks({
    onSignal: () => process.exit(130),
    onExit: () => db.dropSync(),
  });
  let dataSource: DataSource | null = null;
  try {
    await db.create({ seed: false });
    dataSource = createDataSource({ url: db.url, applicationName: 'snitflow-bench-settlement', poolSize: 4 });
    await dataSource.initialize();
    await load(dataSource);
    const manager = dataSource.manager;
    const service = new SettlementService(dataSource, systemClock);
    const user = {
      subject: 'bench@kombit.example',
      role: 'coordinator' as const,
      projectId: null,
      name: 'Bench',
    };
    const machineBefore = machineTimes();

    console.log(
      `settlement: ${DEMO_MUNICIPALITIES.length} municipalities × ${AREAS} data areas, ` +
        `median of ${REPEAT} rounds (ms)\n`,
    );
    console.log('| quarter | lines | read input (ms) | compute (ms) | compute / read | close (ms) |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    const quarters: { year: number; quarter: Quarter }[] = [
      ...([1, 2, 3, 4] as const).map((quarter) => ({ year: YEAR, quarter })),
      { year: YEAR + 1, quarter: 1 },
    ];
    const ratios: number[] = [];
    for (const { year, quarter } of quarters) {
      const trueUp = year > YEAR;
      const read = await median(async () => ({
        input: await readQuarterInput(manager, year, quarter),
        trueUp: trueUp ? await readTrueUpInput(manager, year) : null,
      }));
      const compute = await median(() => {
        const { input, trueUp: up } = read.result as {
          input: QuarterInput;
          trueUp: Awaited<ReturnType<typeof readTrueUpInput>> | null;
        };
        const lines = up ? computeTrueUp(up.years, up.settledBefore) : [];
        return computeQuarter({ ...input, trueUp: lines });
      });
      const startedClose = performance.now();
      const closed = await service.closeQuarter(user, year, quarter);
      const closeMs = performance.now() - startedClose;
      // The frozen bills are what the live computation gave: the close froze, it did not recompute differently.
      const live = compute.result;
      if (
        closed.lines.length !== live.lines.length ||
        closed.areaTotals.some((t, i) => t.totalOere !== live.areaTotals[i]?.totalOere)
      )
        throw new Error(`${year} Q${quarter}: frozen bills differ from the computation`);
      const ratio = compute.ms / read.ms;
      ratios.push(ratio);
      console.log(
        `| ${year} Q${quarter}${trueUp ? ' + true-up' : ''} | ${f(live.lines.length)} | ${f(read.ms, 2)} | ${f(compute.ms, 2)} | **${f(ratio, 2)}** | ${f(closeMs, 1)} |`,
      );
    }

    const frozen = await readSettlement(manager, YEAR + 1, 1);
    const areas = new Map((await service.dataAreas()).map((area) => [area.code, area]));
    const render = await median(() => {
      for (const municipality of DEMO_MUNICIPALITIES)
        for (const language of ['da', 'en'] as const) {
          const data = statementData(frozen, municipality, areas, language);
          if (!data) throw new Error(`no statement for ${municipality.code}`);
          renderPage('statement', language, data);
        }
    });
    const statements = DEMO_MUNICIPALITIES.length * 2;
    const machineAfter = machineTimes();
    const busy =
      (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total);
    console.log(
      `\nstatement page (Q1 ${YEAR + 1} with true-up, ${AREAS} data areas): ${f((render.ms / statements) * 1000, 0)} µs per statement rendered ` +
        `(${statements} statements, da + en, in ${f(render.ms, 1)} ms)`,
    );
    console.log(
      `compute / read across the year: ${f(Math.min(...ratios), 2)}–${f(Math.max(...ratios), 2)} (aim < 1: ${ratios.every((r) => r < 1) ? 'met' : 'NOT met'}); machine busy ${f(busy * 100, 0)}% during the run`,
    );
  } finally {
    await dataSource?.destroy();
    await db.drop();
    removeHooks();
  }
}

runBench(main, f);
