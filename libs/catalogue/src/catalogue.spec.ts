import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CatalogueInputError,
  consolidateRequests,
  DATA_ELEMENT_CODE_PATTERN,
  DEFAULT_CATEGORY_BY_INTERFACE,
  DEMO_DATA_ELEMENTS,
  DEMO_PROJECTS,
  DEMO_SUPPLIERS,
  loadSeedInterfaceMatrix,
  parseInterfaceKey,
  parseInterfaceMatrixCsv,
  serializeInterfaceMatrixCsv,
  unofferedDataElements,
} from '@snitflow/catalogue';

const here = dirname(fileURLToPath(import.meta.url));
const shippedSeed = readFileSync(resolve(here, 'seed/interfaces.csv'), 'utf8');

describe('interface keys', () => {
  it.each(['SF0800', 'SF1490', 'SF0000'])('accepts %s', (key) => {
    expect(parseInterfaceKey(key)).toBe(key);
  });

  it.each(['sf0800', 'SF800', 'SF08000', 'SF08O0', ' SF0800', ''])('refuses %p without guessing', (key) => {
    expect(() => parseInterfaceKey(key)).toThrow(CatalogueInputError);
  });
});

describe("the playbook's interface list as CSV", () => {
  it('round-trips the shipped seed byte for byte', () => {
    expect(serializeInterfaceMatrixCsv(parseInterfaceMatrixCsv(shippedSeed))).toBe(shippedSeed);
  });

  it('ships exactly the deck list from shared/', () => {
    const shared = resolve(here, '../../../../shared/seed-interfaces.csv');
    expect(shippedSeed).toBe(readFileSync(shared, 'utf8'));
  });

  it('reads the deck: 18 interfaces, 4 project columns, firm and tentative marks', () => {
    const matrix = loadSeedInterfaceMatrix();
    expect(matrix.rows).toHaveLength(18);
    expect(matrix.projectColumns).toEqual([
      'project_col_1',
      'project_col_2',
      'project_col_3',
      'project_col_4',
    ]);
    expect(matrix.rows.find((row) => row.key === 'SF1180')).toEqual({
      key: 'SF1180',
      title: 'Overskydende skat',
      sourceSupplier: 'SKAT',
      marks: ['FIRM', 'TENTATIVE', 'NONE', 'NONE'],
    });
  });

  it('quotes commas and quotes, and reads them back', () => {
    const matrix = {
      projectColumns: ['Projekt "A"'],
      rows: [
        {
          key: 'SF0001',
          title: 'Titel, med "citat"',
          sourceSupplier: 'Æblegården',
          marks: ['TENTATIVE' as const],
        },
      ],
    };
    const csv = serializeInterfaceMatrixCsv(matrix);
    expect(csv).toBe(
      'key,title,source_supplier,"Projekt ""A"""\nSF0001,"Titel, med ""citat""",Æblegården,?\n',
    );
    expect(parseInterfaceMatrixCsv(csv)).toEqual(matrix);
  });

  it('accepts a BOM and CRLF line ends from spreadsheet exports', () => {
    const exported = `\uFEFF${shippedSeed.replace(/\n/g, '\r\n')}`;
    expect(serializeInterfaceMatrixCsv(parseInterfaceMatrixCsv(exported))).toBe(shippedSeed);
  });

  it('lists every problem with its line number', () => {
    const csv = [
      'key,title,source_supplier,project_col_1',
      'SF0001,Fine,SKAT,x',
      'sf0002,Lower case,SKAT,x',
      'SF0003,,SKAT,x',
      'SF0004,Bad mark,SKAT,y',
      'SF0001,Duplicate,SKAT,',
      'SF0005,Too few,SKAT',
    ].join('\n');
    let error: CatalogueInputError | undefined;
    try {
      parseInterfaceMatrixCsv(csv);
    } catch (caught) {
      error = caught as CatalogueInputError;
    }
    expect(error?.problems).toEqual([
      'line 3: key "sf0002" is not SF followed by 4 digits',
      'line 4: title is empty',
      'line 5: mark "y" in project_col_1 must be x, ? or empty',
      'line 6: key SF0001 already appears on line 2',
      'line 7: expected 4 columns, found 3',
    ]);
  });

  it('refuses a header that is not the playbook format', () => {
    expect(() => parseInterfaceMatrixCsv('id,name\nSF0001,x\n')).toThrow(/column 1 must be "key"/);
    expect(() => parseInterfaceMatrixCsv('')).toThrow(/empty/);
  });
});

describe('consolidation', () => {
  it('merges approved requests: union of elements, earliest need-by, every project', () => {
    expect(
      consolidateRequests([
        {
          id: 'r2',
          projectId: 'p2',
          dataElements: ['CPR.NAVN', 'CPR.ADRESSE'],
          needBy: '2027-03-01',
          firmness: 'FIRM',
        },
        {
          id: 'r1',
          projectId: 'p1',
          dataElements: ['CPR.NAVN'],
          needBy: '2027-01-15',
          firmness: 'TENTATIVE',
        },
        {
          id: 'r3',
          projectId: 'p2',
          dataElements: ['CPR.CIVILSTAND'],
          needBy: '2027-06-01',
          firmness: 'FIRM',
        },
      ]),
    ).toEqual({
      dataElements: ['CPR.ADRESSE', 'CPR.CIVILSTAND', 'CPR.NAVN'],
      needBy: '2027-01-15',
      projectIds: ['p1', 'p2'],
      requestIds: ['r1', 'r2', 'r3'],
    });
  });

  it('refuses to consolidate nothing', () => {
    expect(() => consolidateRequests([])).toThrow(CatalogueInputError);
  });

  it('flags requested elements the interface does not offer (the CPR example)', () => {
    expect(
      unofferedDataElements(['CPR.NAVN', 'CPR.INDKOMST', 'CPR.INDKOMST'], ['CPR.NAVN', 'CPR.ADRESSE']),
    ).toEqual(['CPR.INDKOMST']);
  });
});

describe('the demo seed', () => {
  const matrix = loadSeedInterfaceMatrix();

  it('has one supplier entry per CSV supplier, and one supplier without a contact for the guard demo', () => {
    const names = new Set(matrix.rows.map((row) => row.sourceSupplier));
    expect(new Set(DEMO_SUPPLIERS.map((supplier) => supplier.name))).toEqual(names);
    expect(
      DEMO_SUPPLIERS.filter((supplier) => supplier.contacts.length === 0).map((supplier) => supplier.name),
    ).toEqual(['Sygehuse']);
    for (const contact of DEMO_SUPPLIERS.flatMap((supplier) => supplier.contacts)) {
      expect(contact.email).toMatch(/@[a-z0-9.-]+\.example$/);
    }
  });

  it('gives every interface data elements with valid codes and a default category', () => {
    for (const row of matrix.rows) {
      expect(DEMO_DATA_ELEMENTS[row.key]?.length).toBeGreaterThan(0);
      for (const element of DEMO_DATA_ELEMENTS[row.key] ?? [])
        expect(element.code).toMatch(DATA_ELEMENT_CODE_PATTERN);
      expect(DEFAULT_CATEGORY_BY_INTERFACE[row.key]).toBeDefined();
    }
  });

  it('names four projects, one per column, all marked as assumed', () => {
    expect(DEMO_PROJECTS.map((project) => project.column)).toEqual(matrix.projectColumns);
    expect(DEMO_PROJECTS.every((project) => project.nameIsAssumed)).toBe(true);
  });
});
