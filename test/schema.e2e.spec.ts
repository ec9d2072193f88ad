import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  buildSchema,
  type GraphQLField,
  type GraphQLNamedType,
  isInputObjectType,
  isObjectType,
  printSchema,
} from 'graphql';
import { ApiHarness } from './support/api-harness.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Contract operations that no issue has built yet. Listed here, and in the
 * README, so the gap is visible and this test fails the day one is added
 * without being removed from this list.
 */
const NOT_YET_BUILT = new Set<string>([]);

/** The contract's files beside the repository: the main one, and settlement's (issue 10). */
const CONTRACT_FILES = ['contract.graphql', 'contract-settlement.graphql'];

/** Settlement's object types, whose field names finance systems call (contract-settlement.graphql). */
const SETTLEMENT_TYPES = [
  'Settlement',
  'SettlementLine',
  'SettlementAreaTotal',
  'Municipality',
  'DataArea',
  'ImportReport',
  'ImportRowError',
];

let api: ApiHarness;
let generated: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  generated = `${printSchema(api.app.get(GraphQLSchemaHost).schema)}\n`;
});

afterAll(async () => {
  await api.stop();
});

describe('schema.graphql', () => {
  it('is committed and matches the schema the code generates (run `npm run schema` after changing resolvers)', () => {
    const committed = readFileSync(resolve(repoRoot, 'schema.graphql'), 'utf8');
    expect(committed).toBe(generated);
  });

  it.each(CONTRACT_FILES)("contains every operation, argument and field of the frontends' %s", (file) => {
    const contractPath = resolve(repoRoot, '../shared', file);
    if (!existsSync(contractPath))
      throw new Error(`The contract is expected beside the repository at ${contractPath}`);
    // Comments may say "rowsChanged: 0" or "columns: code,name": only the SDL names types.
    const contractSource = readFileSync(contractPath, 'utf8').replace(/#.*$/gm, '');
    // The contract names types it leaves to us; declare them so it parses on its own.
    const declared = new Set(
      [...contractSource.matchAll(/^(?:type|enum|input|scalar)\s+(\w+)/gm)].map((m) => m[1]),
    );
    const referenced = new Set([...contractSource.matchAll(/:\s*\[?(\w+)/g)].map((m) => m[1] as string));
    const builtIn = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
    const stubs = [...referenced]
      .filter((name) => !declared.has(name) && !builtIn.has(name))
      .map((name) => (/Input$|Filter$/.test(name) ? `input ${name} { _: Int }` : `scalar ${name}`))
      .join('\n');
    const contract = buildSchema(`${contractSource}\n${stubs}`);
    const ours = buildSchema(generated);

    const missing: string[] = [];
    for (const typeName of ['Query', 'Mutation', 'InterfaceOrder', ...SETTLEMENT_TYPES]) {
      const theirs = contract.getType(typeName) as GraphQLNamedType;
      const mine = ours.getType(typeName);
      if (!isObjectType(theirs)) continue;
      if (!isObjectType(mine)) {
        missing.push(typeName);
        continue;
      }
      for (const field of Object.values(theirs.getFields()) as GraphQLField<unknown, unknown>[]) {
        const key = `${typeName}.${field.name}`;
        const ourField = mine.getFields()[field.name];
        if (!ourField) {
          if (!NOT_YET_BUILT.has(key)) missing.push(key);
          continue;
        }
        expect(NOT_YET_BUILT.has(key)).toBe(false);
        // Settlement's contract spells out its types too (money is BigInt!, never Int or Float).
        if (file === 'contract-settlement.graphql' && String(ourField.type) !== String(field.type))
          missing.push(`${key}: ${field.type} but ours is ${ourField.type}`);
        for (const argument of field.args) {
          const ourArgument = ourField.args.find((candidate) => candidate.name === argument.name);
          if (!ourArgument) missing.push(`${key}(${argument.name})`);
          else if (String(ourArgument.type) !== String(argument.type) && !isInputObjectType(argument.type)) {
            missing.push(`${key}(${argument.name}: ${argument.type} but ours is ${ourArgument.type})`);
          }
        }
      }
    }
    for (const enumName of ['Party', 'OrderCategory']) {
      const theirs = contract.getType(enumName);
      const mine = ours.getType(enumName);
      const values = (type: unknown) =>
        type && typeof type === 'object' && 'getValues' in type
          ? (type as { getValues(): { name: string }[] }).getValues().map((value) => value.name)
          : [];
      for (const value of values(theirs))
        if (!values(mine).includes(value)) missing.push(`${enumName}.${value}`);
    }
    expect(missing).toEqual([]);
  });
});
