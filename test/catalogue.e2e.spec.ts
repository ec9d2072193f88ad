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

describe('the demo catalogue', () => {
  it("holds the deck's 18 interfaces with their source suppliers and offered data elements", async () => {
    const data = await api.ok<{
      interfaces: {
        key: string;
        title: string;
        supplier: { name: string };
        dataElements: { code: string }[];
      }[];
    }>(coordinator, '{ interfaces { key title supplier { name } dataElements { code } } }');
    expect(data.interfaces).toHaveLength(18);
    expect(data.interfaces[0]).toMatchObject({
      key: 'SF0462',
      title: 'Indkomsthændelser fra SKAT',
      supplier: { name: 'SKAT' },
    });
    expect(data.interfaces.find((row) => row.key === 'SF0800')?.supplier.name).toBe('ATP');
    for (const row of data.interfaces) expect(row.dataElements.length).toBeGreaterThan(0);
  });

  it('lists suppliers with contacts and four demo projects whose names are marked as assumed', async () => {
    const data = await api.ok<{
      suppliers: { name: string; contacts: { email: string; language: string }[] }[];
      projects: { code: string; name: string; nameIsAssumed: boolean; matrixColumn: string }[];
    }>(
      coordinator,
      '{ suppliers { name contacts { email language } } projects { code name nameIsAssumed matrixColumn } }',
    );
    expect(data.suppliers.map((supplier) => supplier.name)).toEqual(
      expect.arrayContaining(['SKAT', 'ATP', 'CPR', 'RA-STS']),
    );
    expect(data.suppliers.find((supplier) => supplier.name === 'SKAT')?.contacts.length).toBeGreaterThan(0);
    expect(data.projects.map((project) => project.matrixColumn)).toEqual([
      'project_col_1',
      'project_col_2',
      'project_col_3',
      'project_col_4',
    ]);
    expect(data.projects.every((project) => project.nameIsAssumed)).toBe(true);
  });

  it('shows a project user only its own project', async () => {
    const ky = await api.projectUser('KY');
    const data = await api.ok<{ projects: { code: string }[] }>(ky, '{ projects { code } }');
    expect(data.projects).toEqual([{ code: 'KY' }]);
  });
});

describe("the playbook's interface list", () => {
  it('exports the seeded list as CSV byte for byte like the seed file', async () => {
    const data = await api.ok<{ interfaceMatrixCsv: string }>(coordinator, '{ interfaceMatrixCsv }');
    expect(data.interfaceMatrixCsv).toBe(shippedSeed);
  });

  it('shows the matrix with firm, tentative and empty marks', async () => {
    const data = await api.ok<{
      interfaceMatrix: {
        key: string;
        marks: { column: string; mark: string; project: { code: string } }[];
      }[];
    }>(coordinator, '{ interfaceMatrix { key marks { column mark project { code } } } }');
    const overskydendeSkat = data.interfaceMatrix.find((row) => row.key === 'SF1180');
    expect(overskydendeSkat?.marks.map((cell) => cell.mark)).toEqual(['FIRM', 'TENTATIVE', 'NONE', 'NONE']);
    expect(overskydendeSkat?.marks[1]?.project.code).toBe('KSD');
  });

  it('imports a changed list and exports it again exactly, and re-importing the seed restores it', async () => {
    const changed = shippedSeed
      .replace('SF1180,Overskydende skat,SKAT,x,?,,', 'SF1180,Overskydende skat,SKAT,x,x,,')
      .replace(
        'SF1490,Ydelsesindekset,RA-STS,x,x,x,\n',
        'SF1490,Ydelsesindekset,RA-STS,x,x,x,\nSF1500,"Ny snitflade, med komma",Nyt Firma,,,,?\n',
      );
    const imported = await api.ok<{
      importInterfaceMatrix: { interfacesCreated: number; suppliersCreated: number };
    }>(
      coordinator,
      'mutation($csv: String!) { importInterfaceMatrix(csv: $csv) { interfacesCreated suppliersCreated interfacesUpdated } }',
      { csv: changed },
    );
    expect(imported.importInterfaceMatrix).toMatchObject({ interfacesCreated: 1, suppliersCreated: 1 });
    expect(
      (await api.ok<{ interfaceMatrixCsv: string }>(coordinator, '{ interfaceMatrixCsv }'))
        .interfaceMatrixCsv,
    ).toBe(changed);

    const projectUser = await api.projectUser('KY');
    const denied = await api.graphql(
      projectUser,
      'mutation($csv: String!) { importInterfaceMatrix(csv: $csv) { marks } }',
      {
        csv: shippedSeed,
      },
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    await api.ok(coordinator, 'mutation($csv: String!) { importInterfaceMatrix(csv: $csv) { marks } }', {
      csv: shippedSeed,
    });
    const restored = (await api.ok<{ interfaceMatrixCsv: string }>(coordinator, '{ interfaceMatrixCsv }'))
      .interfaceMatrixCsv;
    // SF1500 stays in the catalogue (imports add and update, never delete), with no marks.
    expect(restored).toBe(shippedSeed.replace(/\n$/, '\nSF1500,"Ny snitflade, med komma",Nyt Firma,,,,\n'));
  });
});
