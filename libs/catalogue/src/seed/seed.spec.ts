import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DATA_ELEMENT_CODE_PATTERN,
  DEFAULT_CATEGORY_BY_INTERFACE,
  DEFAULT_CATEGORY_RULES,
  DEMO_DATA_ELEMENTS,
  DEMO_PROJECTS,
  DEMO_SUPPLIERS,
  loadSeedInterfaceMatrix,
  readSeedInterfacesCsv,
  seedInterfacesCsvPath,
} from '@snitflow/catalogue';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const matrix = loadSeedInterfaceMatrix();
const csvKeys = matrix.rows.map((row) => row.key);
const CATEGORIES = ['NINETY_EIGHT_POTENTIAL', 'COMMON_NEED', 'MUNICIPALITY_SPECIFIC'];

describe('the shipped seed CSV', () => {
  it('sits beside the seed module', () => {
    expect(seedInterfacesCsvPath()).toBe(resolve(repoRoot, 'libs/catalogue/src/seed/interfaces.csv'));
  });

  it('is byte for byte the shared deck list', () => {
    const shared = resolve(repoRoot, '../shared/seed-interfaces.csv');
    // No skip: without the reference file this check proves nothing, so it fails and says why.
    if (!existsSync(shared)) {
      throw new Error(
        `The shared seed ${shared} is missing, so the shipped copy cannot be checked against it`,
      );
    }
    expect(readFileSync(seedInterfacesCsvPath()).equals(readFileSync(shared))).toBe(true);
    expect(readSeedInterfacesCsv()).toBe(readFileSync(shared, 'utf8'));
  });

  it("holds the deck's 18 interfaces", () => {
    expect(csvKeys).toEqual([
      'SF0462',
      'SF0740',
      'SF0741',
      'SF0770',
      'SF0780',
      'SF0790',
      'SF0800',
      'SF0802',
      'SF0810',
      'SF0830',
      'SF1180',
      'SF1280',
      'SF1290',
      'SF1300',
      'SF1320',
      'SF1390',
      'SF1460',
      'SF1490',
    ]);
  });
});

describe('the demo catalogue', () => {
  it('has four projects, one per matrix column in order, all with assumed names', () => {
    expect(DEMO_PROJECTS.map((project) => project.column)).toEqual(matrix.projectColumns);
    expect(DEMO_PROJECTS.map((project) => project.code)).toEqual(['KY', 'KSD', 'BARSEL', 'OKO']);
    expect(DEMO_PROJECTS.every((project) => project.nameIsAssumed)).toBe(true);
  });

  it('has exactly one supplier per source_supplier of the CSV, with unique codes', () => {
    const csvSuppliers = [...new Set(matrix.rows.map((row) => row.sourceSupplier))];
    expect(DEMO_SUPPLIERS.map((supplier) => supplier.name)).toEqual(csvSuppliers);
    const codes = DEMO_SUPPLIERS.map((supplier) => supplier.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });

  it('gives contacts only on the reserved .example domain, one or two per supplier, except Sygehuse', () => {
    const contacts = DEMO_SUPPLIERS.flatMap((supplier) => supplier.contacts);
    for (const contact of contacts) {
      expect(contact.email).toMatch(/^[a-z0-9.-]+@[a-z0-9-]+\.example$/);
      expect(contact.name.trim()).not.toBe('');
      expect(['da', 'en']).toContain(contact.language);
    }
    expect(new Set(contacts.map((contact) => contact.email)).size).toBe(contacts.length);
    const withoutContact = DEMO_SUPPLIERS.filter((supplier) => supplier.contacts.length === 0);
    expect(withoutContact.map((supplier) => supplier.name)).toEqual(['Sygehuse']);
    for (const supplier of DEMO_SUPPLIERS) expect(supplier.contacts.length).toBeLessThanOrEqual(2);
    expect(DEMO_SUPPLIERS.some((supplier) => supplier.contacts.length === 2)).toBe(true);
    const csc = DEMO_SUPPLIERS.find((supplier) => supplier.name === 'CSC Scandihealth');
    expect(csc?.contacts.map((contact) => contact.language)).toEqual(['en']);
  });

  it('offers 2 to 6 well-formed, distinct data elements for every interface in the CSV, and no others', () => {
    expect(Object.keys(DEMO_DATA_ELEMENTS).sort()).toEqual([...csvKeys].sort());
    for (const key of csvKeys) {
      const elements = DEMO_DATA_ELEMENTS[key] ?? [];
      expect(elements.length).toBeGreaterThanOrEqual(2);
      expect(elements.length).toBeLessThanOrEqual(6);
      expect(new Set(elements.map((element) => element.code)).size).toBe(elements.length);
      for (const element of elements) {
        expect(element.code).toMatch(DATA_ELEMENT_CODE_PATTERN);
        expect(element.name.trim()).not.toBe('');
      }
    }
  });

  it("does not offer the element of the deck's CPR example, so the quality review can flag it", () => {
    const cpr = (DEMO_DATA_ELEMENTS.SF1320 ?? []).map((element) => element.code);
    expect(cpr).toEqual(expect.arrayContaining(['CPR.PERSONNUMMER', 'CPR.NAVN', 'CPR.ADRESSE']));
    expect(cpr).not.toContain('CPR.INDKOMST');
  });

  it('gives every interface in the CSV exactly one default category, by a rule with a reason', () => {
    const ruleKeys = DEFAULT_CATEGORY_RULES.flatMap((rule) => rule.keys);
    expect([...ruleKeys].sort()).toEqual([...csvKeys].sort()); // each key once, none extra
    expect(Object.keys(DEFAULT_CATEGORY_BY_INTERFACE).sort()).toEqual([...csvKeys].sort());
    for (const rule of DEFAULT_CATEGORY_RULES) {
      expect(CATEGORIES).toContain(rule.category);
      expect(rule.reason.trim()).not.toBe('');
      for (const key of rule.keys) expect(DEFAULT_CATEGORY_BY_INTERFACE[key]).toBe(rule.category);
    }
    expect(new Set(Object.values(DEFAULT_CATEGORY_BY_INTERFACE))).toEqual(new Set(CATEGORIES));
  });
});
