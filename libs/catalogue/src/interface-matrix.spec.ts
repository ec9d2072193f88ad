import {
  CatalogueInputError,
  type InterfaceMatrix,
  parseInterfaceMatrixCsv,
  readSeedInterfacesCsv,
  serializeInterfaceMatrixCsv,
} from '@snitflow/catalogue';
import { caught } from '../test/caught.js';

const seed = readSeedInterfacesCsv();

describe('parseInterfaceMatrixCsv', () => {
  it("reads the deck's list: 18 interfaces, 4 project columns, firm, tentative and empty marks", () => {
    const matrix = parseInterfaceMatrixCsv(seed);
    expect(matrix.projectColumns).toEqual([
      'project_col_1',
      'project_col_2',
      'project_col_3',
      'project_col_4',
    ]);
    expect(matrix.rows).toHaveLength(18);
    expect(matrix.rows[0]).toEqual({
      key: 'SF0462',
      title: 'Indkomsthændelser fra SKAT',
      sourceSupplier: 'SKAT',
      marks: ['FIRM', 'FIRM', 'NONE', 'NONE'],
    });
    expect(matrix.rows.find((row) => row.key === 'SF1180')?.marks).toEqual([
      'FIRM',
      'TENTATIVE',
      'NONE',
      'NONE',
    ]);
    expect(matrix.rows.find((row) => row.key === 'SF0780')?.title).toBe('Årsopgørelse');
    expect(matrix.rows.find((row) => row.key === 'SF1280')?.marks).toEqual(['NONE', 'NONE', 'NONE', 'FIRM']);
  });

  it('carries project column names through verbatim, and any number of them from one', () => {
    const one = parseInterfaceMatrixCsv('key,title,source_supplier,KY\nSF0001,A,SKAT,x\n');
    expect(one.projectColumns).toEqual(['KY']);
    const named = parseInterfaceMatrixCsv(
      'key,title,source_supplier,Kommunernes Ydelsessystem (KY),"Økonomi, støtte",p3\nSF0001,A,SKAT,,x,?\n',
    );
    expect(named.projectColumns).toEqual(['Kommunernes Ydelsessystem (KY)', 'Økonomi, støtte', 'p3']);
    expect(named.rows[0]?.marks).toEqual(['NONE', 'FIRM', 'TENTATIVE']);
  });

  it('accepts a header with no rows', () => {
    expect(parseInterfaceMatrixCsv('key,title,source_supplier,p1\n')).toEqual({
      projectColumns: ['p1'],
      rows: [],
    });
  });

  it('accepts CRLF line ends, a UTF-8 byte-order mark, a missing final newline and blank lines', () => {
    const expected = parseInterfaceMatrixCsv(seed);
    expect(parseInterfaceMatrixCsv(seed.replaceAll('\n', '\r\n'))).toEqual(expected);
    expect(parseInterfaceMatrixCsv(`\uFEFF${seed}`)).toEqual(expected);
    expect(parseInterfaceMatrixCsv(`\uFEFF${seed.replaceAll('\n', '\r\n')}`)).toEqual(expected);
    expect(parseInterfaceMatrixCsv(seed.slice(0, -1))).toEqual(expected);
    expect(parseInterfaceMatrixCsv(`${seed.replace('\n', '\n\n')}\n\n`)).toEqual(expected);
  });

  it('lists every problem, each with its line number', () => {
    const csv = [
      'key,title,source_supplier,p1,p2', // 1
      'SF0001,Ok,SKAT,x,', // 2
      'sf0002,Lower-case key,SKAT,x,', // 3
      'SF0003,Unknown mark,SKAT,y,X', // 4
      'SF0004,Too few columns,SKAT,x', // 5
      'SF0001,Duplicate,SKAT,,', // 6
      'SF0005,,SKAT,,', // 7
      'SF0006,No supplier, ,x,', // 8
      'SF0007,Too many,SKAT,x,,,', // 9
      '', // 10: blank lines are skipped, and do not shift the numbers
      'SF0008,Padded mark,SKAT, x,', // 11
    ].join('\n');
    const error = caught(() => parseInterfaceMatrixCsv(csv));
    expect(error.problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'key'],
      [4, 'p1'],
      [4, 'p2'],
      [5, 'row'],
      [6, 'key'],
      [7, 'title'],
      [8, 'source_supplier'],
      [9, 'row'],
      [11, 'p1'],
    ]);
    expect(error.message).toBe(
      [
        'Interface matrix CSV has 9 problems:',
        '  line 3: Interface key must be "SF" followed by 4 digits, e.g. SF0800; got "sf0002"',
        '  line 4: unknown mark "y" in column "p1" (key SF0003); use "x" (firm), "?" (tentative) or leave it empty',
        '  line 4: unknown mark "X" in column "p2" (key SF0003); use "x" (firm), "?" (tentative) or leave it empty',
        '  line 5: expected 5 columns like the header, got 4',
        '  line 6: duplicate key SF0001 (first on line 2)',
        '  line 7: title is empty (key SF0005)',
        '  line 8: source_supplier is empty (key SF0006)',
        '  line 9: expected 5 columns like the header, got 7',
        '  line 11: unknown mark " x" in column "p1" (key SF0008); use "x" (firm), "?" (tentative) or leave it empty',
      ].join('\n'),
    );
  });

  it('lists header problems together with row problems', () => {
    const error = caught(() => parseInterfaceMatrixCsv('Key,title,supplier\nXX12,A,SKAT\n'));
    expect(error.problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '1: header column 1 must be "key", got "Key"',
      '1: header column 3 must be "source_supplier", got "supplier"',
      '1: the header needs at least one project column after "source_supplier"',
      '2: Interface key must be "SF" followed by 4 digits, e.g. SF0800; got "XX12"',
    ]);
  });

  it('refuses missing, nameless and repeated header columns', () => {
    expect(caught(() => parseInterfaceMatrixCsv('key,title\n')).problems.map((p) => p.message)).toEqual([
      'header column 3 "source_supplier" is missing',
      'the header needs at least one project column after "source_supplier"',
    ]);
    expect(
      caught(() => parseInterfaceMatrixCsv('key,title,source_supplier,p1,,p1\n')).problems.map(
        (p) => p.message,
      ),
    ).toEqual([
      'header column 5 (a project column) has no name',
      'project column "p1" appears more than once in the header',
    ]);
  });

  it('refuses an empty file', () => {
    for (const text of ['', '\uFEFF', '\n\n']) {
      const error = caught(() => parseInterfaceMatrixCsv(text));
      expect(error.problems).toEqual([expect.objectContaining({ line: 1, field: 'header' })]);
    }
  });

  it('reports a CSV syntax error with its line', () => {
    const error = caught(() =>
      parseInterfaceMatrixCsv('key,title,source_supplier,p1\nSF0001,"Open,SKAT,x\n'),
    );
    expect(error.field).toBe('csv');
    expect(error.problems[0]?.line).toBe(2); // where the quote opens
    expect(error.message).toMatch(
      /line 2: the CSV cannot be read: a double quote in this record is never closed/,
    );
    const crlf =
      'key,title,source_supplier,p1\r\nSF0001,ø,SKAT,x\r\n\r\nSF0002,"Open,SKAT,x\r\nSF0003,a,b,\r\n';
    expect(caught(() => parseInterfaceMatrixCsv(crlf)).problems[0]?.line).toBe(4);
    expect(() => parseInterfaceMatrixCsv('key,title,source_supplier,p1\nSF0001,a"b,SKAT,x\n')).toThrow(
      /line 2: the CSV cannot be read/,
    );
  });

  it('refuses a line break inside a title, naming the line the row starts on', () => {
    const error = caught(() =>
      parseInterfaceMatrixCsv('key,title,source_supplier,p1\nSF0001,"Two\nlines",SKAT,x\nSF0002,Ok,SKAT,x\n'),
    );
    expect(error.problems).toEqual([
      { line: 2, field: 'title', message: 'title contains a line break (key SF0001)' },
    ]);
  });

  it('is not fooled by cells named like Object.prototype properties', () => {
    const error = caught(() =>
      parseInterfaceMatrixCsv('key,title,source_supplier,p1\nSF0001,A,SKAT,constructor\n'),
    );
    expect(error.problems).toEqual([expect.objectContaining({ line: 2, field: 'p1' })]);
  });
});

describe('the data_elements column', () => {
  const csv =
    'key,title,source_supplier,data_elements,p1\n' +
    'SF0001,Feriekonto,ATP,ATP.KONTO=Konto;ATP.SALDO=Saldo = beløb,x\n' +
    'SF0002,Ingen,ATP,,\n';

  it('reads CODE=Name;CODE=Name (a name may hold =) and writes it back sorted by code', () => {
    const matrix = parseInterfaceMatrixCsv(csv);
    expect(matrix.projectColumns).toEqual(['p1']);
    expect(matrix.rows[0]?.dataElements).toEqual([
      { code: 'ATP.KONTO', name: 'Konto' },
      { code: 'ATP.SALDO', name: 'Saldo = beløb' },
    ]);
    expect(matrix.rows[1]?.dataElements).toEqual([]);
    expect(serializeInterfaceMatrixCsv(matrix)).toBe(csv);
    expect(parseInterfaceMatrixCsv(shippedWithout()).rows[0]?.dataElements).toBeUndefined();
  });

  it('reports every bad element with its line', () => {
    const error = caught(() =>
      parseInterfaceMatrixCsv(
        'key,title,source_supplier,data_elements,p1\nSF0001,A,ATP,atp.x=X;ATP.Y;ATP.Z=Z;ATP.Z=Z2,x\n',
      ),
    );
    expect(error.problems.map((p) => [p.line, p.field])).toEqual([
      [2, 'data_elements'],
      [2, 'data_elements'],
      [2, 'data_elements'],
    ]);
  });
});

function shippedWithout(): string {
  return seed;
}

describe('serializeInterfaceMatrixCsv', () => {
  it('neutralises cells a spreadsheet would run as a formula, and reads them back as they were', () => {
    const dangerous = ['=HYPERLINK("http://evil.example","x")', '+1', '-2+3', '@SUM(A1)', '\tTab'];
    const matrix: InterfaceMatrix = {
      projectColumns: ['=P1', 'Safe'],
      rows: dangerous.map((title, index) => ({
        key: `SF000${index}`,
        title,
        sourceSupplier: index === 0 ? '@Supplier' : 'ATP',
        marks: ['FIRM', 'NONE'],
      })),
    };
    const csv = serializeInterfaceMatrixCsv(matrix);
    expect(csv.split('\n')[0]).toBe("key,title,source_supplier,'=P1,Safe");
    expect(csv).toContain(`SF0000,"'=HYPERLINK(""http://evil.example"",""x"")",'@Supplier,x,`);
    expect(csv).toContain("SF0001,'+1,ATP,x,");
    expect(csv).toContain("SF0002,'-2+3,ATP,x,");
    expect(csv).toContain("SF0003,'@SUM(A1),ATP,x,");
    expect(csv).toContain("SF0004,'\tTab,ATP,x,");
    // No cell of any record starts with a formula character.
    const records = csv
      .trimEnd()
      .split('\n')
      .flatMap((line) => line.split(','));
    expect(records.filter((cell) => /^"?[=+\-@\t]/.test(cell))).toEqual([]);
    expect(parseInterfaceMatrixCsv(csv)).toEqual(matrix);
  });

  it('round-trips the shipped seed byte for byte', () => {
    expect(serializeInterfaceMatrixCsv(parseInterfaceMatrixCsv(seed))).toBe(seed);
  });

  it('writes CRLF or BOM input back in the canonical form (LF, no BOM)', () => {
    expect(
      serializeInterfaceMatrixCsv(parseInterfaceMatrixCsv(`\uFEFF${seed.replaceAll('\n', '\r\n')}`)),
    ).toBe(seed);
  });

  it('drops quotes that are not needed', () => {
    const csv = '"key","title","source_supplier","p1"\n"SF0001","Feriekonto","ATP","x"\n';
    expect(serializeInterfaceMatrixCsv(parseInterfaceMatrixCsv(csv))).toBe(
      'key,title,source_supplier,p1\nSF0001,Feriekonto,ATP,x\n',
    );
  });

  it('quotes exactly the fields with commas or quotes, and reads them back', () => {
    const matrix: InterfaceMatrix = {
      projectColumns: ['KY', 'Økonomi, støtte', 'Projekt "3"'],
      rows: [
        {
          key: 'SF0001',
          title: 'Indlæggelser, udskrivninger',
          sourceSupplier: 'Sygehuse',
          marks: ['FIRM', 'NONE', 'NONE'],
        },
        {
          key: 'SF0002',
          title: 'Den "nye" snitflade',
          sourceSupplier: 'CSC Scandihealth',
          marks: ['NONE', 'TENTATIVE', 'FIRM'],
        },
        {
          key: 'SF0003',
          title: 'Årsopgørelse; æøå ÆØÅ',
          sourceSupplier: 'SKAT',
          marks: ['NONE', 'NONE', 'NONE'],
        },
        {
          key: 'SF0004',
          title: ' leading and trailing spaces ',
          sourceSupplier: "O'Brien & Co",
          marks: ['FIRM', 'FIRM', 'FIRM'],
        },
      ],
    };
    const csv = serializeInterfaceMatrixCsv(matrix);
    expect(csv).toBe(
      [
        'key,title,source_supplier,KY,"Økonomi, støtte","Projekt ""3"""',
        'SF0001,"Indlæggelser, udskrivninger",Sygehuse,x,,',
        'SF0002,"Den ""nye"" snitflade",CSC Scandihealth,,?,x',
        'SF0003,Årsopgørelse; æøå ÆØÅ,SKAT,,,',
        "SF0004, leading and trailing spaces ,O'Brien & Co,x,x,x",
        '',
      ].join('\n'),
    );
    expect(parseInterfaceMatrixCsv(csv)).toEqual(matrix);
    expect(serializeInterfaceMatrixCsv(parseInterfaceMatrixCsv(csv))).toBe(csv);
  });

  it('refuses a matrix that would not read back as itself, listing every problem', () => {
    const error = caught(() =>
      serializeInterfaceMatrixCsv({
        projectColumns: ['p1', 'p1'],
        rows: [
          { key: 'SF0001', title: 'A', sourceSupplier: 'SKAT', marks: ['FIRM'] },
          { key: 'SF0001', title: 'Two\nlines', sourceSupplier: '', marks: ['FIRM', 'NONE'] },
          { key: 'SF01', title: 'B', sourceSupplier: 'SKAT', marks: ['NONE', 'NONE'] },
        ],
      }),
    );
    expect(error).toBeInstanceOf(CatalogueInputError);
    expect(error.problems.map((p) => p.field)).toEqual([
      'projectColumns',
      'rows[0].marks',
      'rows[1].title',
      'rows[1].source_supplier',
      'rows[1].key',
      'rows[2].key',
    ]);
    expect(error.message).toMatch(/^Interface matrix has 6 problems:\n/);
    expect(() => serializeInterfaceMatrixCsv({ projectColumns: [], rows: [] })).toThrow(
      /at least one project column/,
    );
  });
});
