import {
  DEMO_MUNICIPALITIES,
  demoMunicipalitiesCsv,
  parseDataAreasCsv,
  parseLookupsCsv,
  parseMunicipalitiesCsv,
} from '@snitflow/settlement';

describe('settlement CSV imports', () => {
  it('report every bad row with its line, field and reason', () => {
    const parsed = parseMunicipalitiesCsv(
      'code,name,inhabitants\n101,København,660000\n1O2,Typo,5\n147,,-3\n101,Again,1\n"151","Ballerup\nkommune",52000\n',
    );
    expect(parsed.errors).toEqual([
      { line: 3, field: 'code', reason: expect.stringContaining('three-digit') },
      { line: 4, field: 'name', reason: expect.any(String) },
      { line: 4, field: 'inhabitants', reason: expect.stringContaining('whole number') },
      { line: 5, field: 'code', reason: 'repeats line 2; each may appear once in a file' },
    ]);
    // A quoted line break is allowed; its row is reported at the line it starts on.
    expect(parsed.rows.map((r) => [r.code, r.line])).toEqual([
      ['101', 2],
      ['151', 6],
    ]);
  });

  it('refuses a wrong header and rows with the wrong number of columns', () => {
    expect(parseMunicipalitiesCsv('kode,navn,indbyggere\n101,København,1\n').errors).toEqual([
      { line: 1, field: null, reason: expect.stringContaining('code,name,inhabitants') },
    ]);
    expect(
      parseLookupsCsv('municipality,data_area,lookups\n101,INCOME\n', new Set(['101']), new Set(['INCOME']))
        .errors,
    ).toEqual([{ line: 2, field: null, reason: 'expected 3 columns, got 2' }]);
  });

  it('checks references, amounts and interface keys', () => {
    const lookups = parseLookupsCsv(
      'municipality,data_area,lookups\n999,INCOME,1\n101,NOPE,2\n101,INCOME,1.5\n',
      new Set(['101']),
      new Set(['INCOME']),
    );
    expect(lookups.errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'municipality'],
      [3, 'data_area'],
      [4, 'lookups'],
    ]);
    const areas = parseDataAreasCsv('code,name,interface_keys\nINCOME,Income data,SF0462 SF0770 sf0780\n');
    expect(areas.errors).toEqual([
      { line: 2, field: 'interface_keys', reason: expect.stringContaining('sf0780') },
    ]);
  });

  it('ships the 98 municipalities, each with a three-digit code, as a CSV its own parser accepts', () => {
    expect(DEMO_MUNICIPALITIES).toHaveLength(98);
    const parsed = parseMunicipalitiesCsv(demoMunicipalitiesCsv());
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toHaveLength(98);
    expect(parsed.rows.find((r) => r.code === '101')?.name).toBe('København');
    expect(parsed.rows.find((r) => r.code === '851')?.name).toBe('Aalborg');
  });
});
