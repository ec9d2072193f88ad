import { ApiHarness } from './support/api-harness.js';

// Settlement over GraphQL (issue 10). Years far from the seeded demo year, so the seeded
// municipalities' figures are not in the way; the figures are small and hand-computed.
let api: ApiHarness;
let coordinator: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api.stop();
});

interface Report {
  applied: boolean;
  rowsRead: number;
  rowsChanged: number;
  errors: { line: number; field: string | null; reason: string }[];
}
interface Line {
  municipalityCode: string;
  dataAreaCode: string;
  fixedOere: string;
  variableOere: string;
  trueUpOere: string;
  totalOere: string;
}
interface Settlement {
  year: number;
  quarter: number;
  closed: boolean;
  lines: Line[];
  areaTotals: (Omit<Line, 'municipalityCode'> & { variableDeferred: boolean })[];
}

const REPORT = '{ applied rowsRead rowsChanged errors { line field reason } }';
const SETTLEMENT = `{ year quarter closed
  lines { municipalityCode dataAreaCode fixedOere variableOere trueUpOere totalOere }
  areaTotals { dataAreaCode fixedOere variableOere trueUpOere totalOere variableDeferred } }`;

async function importCsv(
  mutation: string,
  args: Record<string, number>,
  csv: string,
  token = coordinator,
): Promise<Report> {
  const declared = Object.keys(args)
    .map((name) => `$${name}: Int!`)
    .concat('$csv: String!')
    .join(', ');
  const passed = Object.keys(args)
    .map((name) => `${name}: $${name}`)
    .concat('csv: $csv')
    .join(', ');
  const data = await api.ok<Record<string, Report>>(
    token,
    `mutation(${declared}) { ${mutation}(${passed}) ${REPORT} }`,
    { ...args, csv },
  );
  return data[mutation] as Report;
}

const settlement = async (year: number, quarter: number) =>
  (
    await api.ok<{ settlement: Settlement }>(
      coordinator,
      `query($y: Int!, $q: Int!) { settlement(year: $y, quarter: $q) ${SETTLEMENT} }`,
      { y: year, q: quarter },
    )
  ).settlement;

const close = (year: number, quarter: number) =>
  api.graphql<{ closeQuarter: Settlement }>(
    coordinator,
    `mutation($y: Int!, $q: Int!) { closeQuarter(year: $y, quarter: $q) ${SETTLEMENT} }`,
    { y: year, q: quarter },
  );

/** [fixed, variable, trueUp, total] per municipality for one data area. */
const area = (s: Settlement, code: string) =>
  Object.fromEntries(
    s.lines
      .filter((l) => l.dataAreaCode === code)
      .map((l) => [l.municipalityCode, [l.fixedOere, l.variableOere, l.trueUpOere, l.totalOere]]),
  );

/** Every area total equals the sum of its lines, column by column. */
function expectTotalsSum(s: Settlement) {
  for (const total of s.areaTotals) {
    const lines = s.lines.filter((l) => l.dataAreaCode === total.dataAreaCode);
    for (const column of ['fixedOere', 'variableOere', 'trueUpOere', 'totalOere'] as const)
      expect(lines.reduce((sum, l) => sum + BigInt(l[column]), 0n).toString()).toBe(total[column]);
  }
}

async function settlementRowCounts() {
  const result = await api.db.query<{ t: string; n: number }>(
    `SELECT 'municipality' t, count(*)::int n FROM municipality
     UNION ALL SELECT 'population', count(*)::int FROM municipality_population
     UNION ALL SELECT 'population_sum', coalesce(sum(inhabitants), 0)::int FROM municipality_population
     UNION ALL SELECT 'data_area', count(*)::int FROM data_area
     UNION ALL SELECT 'cost_estimate', count(*)::int FROM cost_estimate
     UNION ALL SELECT 'lookup_count', count(*)::int FROM lookup_count
     UNION ALL SELECT 'lookup_sum', coalesce(sum(lookups), 0)::int FROM lookup_count
     UNION ALL SELECT 'realised_cost', count(*)::int FROM realised_cost
     UNION ALL SELECT 'settlement_change', count(*)::int FROM settlement_change`,
  );
  return Object.fromEntries(result.rows.map((r) => [r.t, r.n]));
}

const MUNICIPALITIES = 'code,name,inhabitants\n101,København,600\n147,Frederiksberg,300\n151,Ballerup,100\n';
const AREAS =
  'code,name,interface_keys\nINCOME,Indkomstdata,SF0462 SF0770 SF0780 SF0790 SF1180\nCPR,CPR-data,SF1320\n';

describe('settlement: a full year, four closed quarters and the next Q1 true-up', () => {
  it('loads the year by CSV import', async () => {
    expect(await importCsv('importDataAreas', {}, AREAS)).toEqual({
      applied: true,
      rowsRead: 2,
      rowsChanged: 2,
      errors: [],
    });
    expect(await importCsv('importMunicipalities', { year: 2031 }, MUNICIPALITIES)).toMatchObject({
      applied: true,
      rowsChanged: 3,
    });
    const estimates =
      'data_area,fixed_oere,variable_oere,expected_lookups\nINCOME,1234567891,1000001,100\nCPR,10,0,0\n';
    expect(await importCsv('importCostEstimates', { year: 2031 }, estimates)).toMatchObject({
      rowsChanged: 2,
    });
    const lookups: Record<number, string> = {
      1: '101,INCOME,5\n147,INCOME,3\n151,INCOME,2\n',
      2: '',
      3: '101,INCOME,1\n147,INCOME,1\n151,INCOME,1\n',
      4: '101,INCOME,0\n147,INCOME,7\n151,INCOME,0\n',
    };
    for (const quarter of [1, 2, 3, 4])
      expect(
        await importCsv(
          'importLookups',
          { year: 2031, quarter },
          `municipality,data_area,lookups\n${lookups[quarter]}`,
        ),
      ).toMatchObject({ applied: true, errors: [] });
    const municipalities = await api.ok<{ municipalities: { code: string; inhabitants: number }[] }>(
      coordinator,
      '{ municipalities(year: 2031) { code name inhabitants } }',
    );
    expect(municipalities.municipalities).toEqual([
      { code: '101', name: 'København', inhabitants: 600 },
      { code: '147', name: 'Frederiksberg', inhabitants: 300 },
      { code: '151', name: 'Ballerup', inhabitants: 100 },
    ]);
  });

  it('bills Q1: a quarter of each estimate, fixed by inhabitants 6:3:1, variable by lookups 5:3:2', async () => {
    const q1 = await settlement(2031, 1);
    expect(q1.closed).toBe(false);
    // 1,234,567,891 / 4 → Q1 308,641,973; by 6:3:1 → 185,185,183.8 / 92,592,591.9 / 30,864,197.3: the two
    // øre left go to 147 (.9) and 101 (.8). Variable 1,000,001 / 4 → 250,001; by 5:3:2 → 125,000.5 /
    // 75,000.3 / 50,000.2: the one øre left goes to 101.
    expect(area(q1, 'INCOME')).toEqual({
      101: ['185185184', '125001', '0', '185310185'],
      147: ['92592592', '75000', '0', '92667592'],
      151: ['30864197', '50000', '0', '30914197'],
    });
    // CPR: 10 øre a year → 3 in Q1, by 6:3:1 → 1.8 / 0.9 / 0.3: 147 and 101 get the two left.
    expect(area(q1, 'CPR')).toEqual({
      101: ['2', '0', '0', '2'],
      147: ['1', '0', '0', '1'],
      151: ['0', '0', '0', '0'],
    });
    expectTotalsSum(q1);
    expect(q1.areaTotals.find((t) => t.dataAreaCode === 'INCOME')).toMatchObject({
      fixedOere: '308641973',
      variableOere: '250001',
    });
  });

  it('closes the quarters in order; Q2 without lookups defers its variable cost; Q3 ties go to the lower code', async () => {
    const closedQ1 = await close(2031, 1);
    expect(closedQ1.errors).toBeUndefined();
    expect(closedQ1.data?.closeQuarter.closed).toBe(true);

    const early = await close(2031, 4);
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', openYear: 2031, openQuarter: 2 });

    const q2 = (await close(2031, 2)).data?.closeQuarter as Settlement;
    expect(area(q2, 'INCOME')['101']?.[1]).toBe('0');
    expect(q2.areaTotals.find((t) => t.dataAreaCode === 'INCOME')).toMatchObject({
      variableOere: '0',
      variableDeferred: true,
    });
    const q3 = (await close(2031, 3)).data?.closeQuarter as Settlement;
    // 250,000 / 3 = 83,333 each, one øre left, equal remainders: the lower code, 101.
    expect(Object.values(area(q3, 'INCOME')).map((v) => v[1])).toEqual(['83334', '83333', '83333']);
    const q4 = (await close(2031, 4)).data?.closeQuarter as Settlement;
    expect(Object.values(area(q4, 'INCOME')).map((v) => v[1])).toEqual(['0', '250000', '0']);
    // Q4 takes 308,641,972 (the earliest quarters took the extra øre).
    expect(q4.areaTotals.find((t) => t.dataAreaCode === 'INCOME')?.fixedOere).toBe('308641972');
    for (const s of [q2, q3, q4]) expectTotalsSum(s);

    // Closing again changes nothing and returns the same bills.
    const again = await close(2031, 4);
    expect(again.data?.closeQuarter).toEqual(q4);
  });

  it('settles the year in Q1 of the next: realised share minus billed, to the øre, as trueUpOere', async () => {
    await importCsv('importMunicipalities', { year: 2032 }, MUNICIPALITIES);
    await importCsv(
      'importCostEstimates',
      { year: 2032 },
      'data_area,fixed_oere,variable_oere,expected_lookups\nINCOME,400,0,0\n',
    );
    await importCsv(
      'importRealisedCosts',
      { year: 2031 },
      'data_area,fixed_oere,variable_oere\nINCOME,1234567891,2000000\n',
    );
    const q1 = await settlement(2032, 1);
    // Variable billed in 2031: 101 125,001 + 83,334 = 208,335; 147 75,000 + 83,333 + 250,000 = 408,333;
    // 151 50,000 + 83,333 = 133,333. Realised 2,000,000 by the year's lookups 6:11:3 = 600,000 /
    // 1,100,000 / 300,000. Fixed: realised 1,234,567,891 by 6:3:1 = 740,740,735 / 370,370,367 /
    // 123,456,789; billed by the quarters 740,740,735 / 370,370,368 / 123,456,788.
    expect(area(q1, 'INCOME')).toEqual({
      101: ['60', '0', '391665', '391725'],
      147: ['30', '0', '691666', '691696'],
      151: ['10', '0', '166668', '166678'],
    });
    // Σ true-up = (1,234,567,891 + 2,000,000) realised − (1,234,567,891 + 750,001) billed.
    expect(q1.areaTotals.find((t) => t.dataAreaCode === 'INCOME')?.trueUpOere).toBe('1249999');
    expectTotalsSum(q1);
    expect((await close(2032, 1)).data?.closeQuarter.closed).toBe(true);

    const csv = await api.ok<{ settlementCsv: string }>(
      coordinator,
      '{ settlementCsv(year: 2032, quarter: 1) }',
    );
    expect(csv.settlementCsv.split('\n')).toEqual([
      'municipality,data_area,fixed_oere,variable_oere,true_up_oere,total_oere',
      '101,INCOME,60,0,391665,391725',
      '147,INCOME,30,0,691666,691696',
      '151,INCOME,10,0,166668,166678',
      '',
    ]);
  });

  it('a late correction leaves closed quarters unchanged and moves the next true-up', async () => {
    const q4Before = await settlement(2031, 4);
    const q1Before = await settlement(2032, 1);
    // Ballerup's Q4 2031 lookups were 10, not 0.
    expect(
      await importCsv(
        'importLookups',
        { year: 2031, quarter: 4 },
        'municipality,data_area,lookups\n151,INCOME,10\n',
      ),
    ).toMatchObject({ applied: true, rowsChanged: 1 });
    expect(await settlement(2031, 4)).toEqual(q4Before);
    expect(await settlement(2032, 1)).toEqual(q1Before);
    // The closed bills are also protected in the database itself.
    await expect(api.db.query('UPDATE settlement_line SET fixed_oere = 0 WHERE year = 2031')).rejects.toThrow(
      /closed quarter never change/,
    );

    // The year's lookups are now 6:11:13: 2,000,000 → 400,000 / 733,333.3 / 866,666.7 → 400,000 /
    // 733,333 / 866,667. Against what Q1 2032 already settled, the rest moves into Q1 2033.
    const q1Next = await settlement(2033, 1);
    expect(area(q1Next, 'INCOME')).toEqual({
      101: ['0', '0', '-200000', '-200000'],
      147: ['0', '0', '-366667', '-366667'],
      151: ['0', '0', '566667', '566667'],
    });
    expectTotalsSum(q1Next);

    const history = await api.ok<{
      settlementHistory: {
        action: string;
        subject: string;
        field: string;
        oldValue: string;
        newValue: string;
        actor: string;
        actorRole: string;
      }[];
    }>(
      coordinator,
      '{ settlementHistory(year: 2031) { action subject field oldValue newValue actor actorRole occurredAt } }',
    );
    expect(history.settlementHistory.at(-1)).toEqual({
      action: 'IMPORT_LOOKUPS',
      subject: '151 INCOME',
      field: 'lookups',
      oldValue: '0',
      newValue: '10',
      actor: 'Karin Koordinator <coordinator@kombit.example>',
      actorRole: 'coordinator',
      occurredAt: expect.any(String),
    } as never);
    expect(
      history.settlementHistory.filter((h) => h.action === 'CLOSE_QUARTER').map((h) => h.subject),
    ).toEqual(['2031 Q1', '2031 Q2', '2031 Q3', '2031 Q4']);
  });
});

describe('settlement imports: all rows or none', () => {
  it('reports every bad row (line, field, reason) and changes nothing', async () => {
    const before = await settlementRowCounts();
    const lookups = await importCsv(
      'importLookups',
      { year: 2031, quarter: 2 },
      'municipality,data_area,lookups\n101,INCOME,4\n999,INCOME,1\n147,NOPE,2\n151,INCOME,-1\n101,INCOME,5\n',
    );
    expect(lookups).toEqual({
      applied: false,
      rowsRead: 5,
      rowsChanged: 0,
      errors: [
        { line: 3, field: 'municipality', reason: expect.stringContaining('999') },
        { line: 4, field: 'data_area', reason: expect.stringContaining('NOPE') },
        { line: 5, field: 'lookups', reason: expect.stringContaining('whole number') },
        { line: 6, field: 'municipality', reason: 'repeats line 2; each may appear once in a file' },
      ],
    });
    const municipalities = await importCsv(
      'importMunicipalities',
      { year: 2031 },
      'code,name,inhabitants\n101,København,700\n14,Frederiksberg,300\n',
    );
    expect(municipalities).toMatchObject({ applied: false, errors: [{ line: 3, field: 'code' }] });
    const estimates = await importCsv(
      'importCostEstimates',
      { year: 2034 },
      'data_area,fixed_oere,variable_oere,expected_lookups\nINCOME,12.50,1,1\nCPR,99999999999999999999,1,1\n',
    );
    expect(estimates.errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'fixed_oere'],
      [3, 'fixed_oere'],
    ]);
    const realised = await importCsv(
      'importRealisedCosts',
      { year: 2032 },
      'area,fixed,variable\nINCOME,1,1\n',
    );
    expect(realised).toMatchObject({ applied: false, errors: [{ line: 1, field: null }] });
    const areas = await importCsv(
      'importDataAreas',
      {},
      'code,name,interface_keys\nNEW,New,\nINCOME,Changed,SF0462\n',
    );
    expect(areas).toMatchObject({ applied: false, errors: [{ line: 2, field: 'interface_keys' }] });
    expect(await settlementRowCounts()).toEqual(before);
  });

  it('importing the same file again changes nothing', async () => {
    const before = await settlementRowCounts();
    expect(await importCsv('importMunicipalities', { year: 2031 }, MUNICIPALITIES)).toEqual({
      applied: true,
      rowsRead: 3,
      rowsChanged: 0,
      errors: [],
    });
    expect(await importCsv('importDataAreas', {}, AREAS)).toMatchObject({ rowsChanged: 0 });
    expect(await settlementRowCounts()).toEqual(before);
  });

  it('refuses a quarter or year out of range with BAD_USER_INPUT and the field', async () => {
    const response = await api.graphql(coordinator, '{ settlement(year: 2031, quarter: 5) { year } }');
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'quarter' });
    const year = await api.graphql(coordinator, '{ settlementCsv(year: 1999, quarter: 1) }');
    expect(year.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'year' });
  });
});

describe('settlement writes take one lock', () => {
  it('an import waits while the settlement lock is held (so a close never freezes half an import)', async () => {
    const holder = await api.db.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT pg_advisory_xact_lock(hashtext('snitflow:settlement'))");
      let done = false;
      const pending = importCsv(
        'importLookups',
        { year: 2031, quarter: 3 },
        'municipality,data_area,lookups\n101,CPR,7\n',
      ).then((report) => {
        done = true;
        return report;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(done).toBe(false);
      await holder.query('ROLLBACK');
      expect(await pending).toMatchObject({ applied: true, rowsChanged: 1 });
    } finally {
      holder.release();
    }
  });
});

describe('settlement access', () => {
  it('is for coordinators and admins: a project user is FORBIDDEN and writes nothing', async () => {
    const project = await api.projectUser('KY');
    const before = await settlementRowCounts();
    const read = await api.graphql(project, '{ settlement(year: 2031, quarter: 1) { year } }');
    expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const write = await api.graphql(
      project,
      'mutation { importLookups(year: 2031, quarter: 1, csv: "municipality,data_area,lookups\\n101,INCOME,99\\n") { applied } }',
    );
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const closing = await api.graphql(project, 'mutation { closeQuarter(year: 2033, quarter: 1) { year } }');
    expect(closing.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await settlementRowCounts()).toEqual(before);
    const admin = await api.token({ role: 'admin', subject: 'admin@kombit.example' });
    expect((await api.ok<{ dataAreas: unknown[] }>(admin, '{ dataAreas { code } }')).dataAreas).toHaveLength(
      2,
    );
  });
});

describe('settlement amounts and lookups are bounded so that every sum fits a bigint', () => {
  it('refuses an amount over 100 billion kroner or over 10^12 lookups by row, and closes a quarter at the maxima', async () => {
    // 2030: before every year the tests above close, so its Q1 may close last.
    expect(await importCsv('importDataAreas', {}, AREAS)).toMatchObject({ applied: true });
    expect(await importCsv('importMunicipalities', { year: 2030 }, MUNICIPALITIES)).toMatchObject({
      applied: true,
    });
    const before = await settlementRowCounts();
    const bigint = '9223372036854775807';
    const estimates = await importCsv(
      'importCostEstimates',
      { year: 2030 },
      `data_area,fixed_oere,variable_oere,expected_lookups\nINCOME,${bigint},10000000000001,1\nCPR,1,1,1000000000001\n`,
    );
    expect(estimates.applied).toBe(false);
    expect(estimates.errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'fixed_oere'],
      [2, 'variable_oere'],
      [3, 'expected_lookups'],
    ]);
    const lookups = await importCsv(
      'importLookups',
      { year: 2030, quarter: 1 },
      `municipality,data_area,lookups\n101,INCOME,${bigint}\n147,INCOME,1000000000000\n`,
    );
    expect(lookups.errors.map((e) => [e.line, e.field])).toEqual([[2, 'lookups']]);
    expect(await settlementRowCounts()).toEqual(before);

    // The maxima themselves, on every row: the quarter computes and closes (its sums are stored).
    const max = '10000000000000';
    expect(
      await importCsv(
        'importCostEstimates',
        { year: 2030 },
        `data_area,fixed_oere,variable_oere,expected_lookups\nINCOME,${max},${max},1000000000000\nCPR,${max},${max},1000000000000\n`,
      ),
    ).toMatchObject({ applied: true });
    const everyone = ['101', '147', '151'].flatMap((code) => [
      `${code},INCOME,1000000000000`,
      `${code},CPR,1000000000000`,
    ]);
    expect(
      await importCsv(
        'importLookups',
        { year: 2030, quarter: 1 },
        `municipality,data_area,lookups\n${everyone.join('\n')}\n`,
      ),
    ).toMatchObject({ applied: true });
    const closed = await close(2030, 1);
    expect(closed.errors).toBeUndefined();
    expect(closed.data?.closeQuarter.closed).toBe(true);
    expectTotalsSum(closed.data?.closeQuarter as Settlement);
  });
});
