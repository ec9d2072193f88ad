import { randomUUID } from 'node:crypto';
import { ApiHarness } from './support/api-harness.js';
import { daysFromNow } from './support/flows.js';
import {
  type FullType,
  type InputValue,
  namedType,
  printType,
  schemaTypes,
  type TypeRef,
} from './support/schema-walk.js';

/**
 * The bad-input corpus: every argument (and every input field, list element and nested field)
 * of every mutation the schema has — read by introspection, so new mutations are covered the day
 * they are added — gets values that are wrong for its type. Each call must be refused with
 * BAD_USER_INPUT naming that argument path; none may answer INTERNAL_SERVER_ERROR, none may get
 * past validation (the "accepted nonsense"), and no row may change.
 *
 * Every other argument holds a plausible value and every id is a fresh UUID, so a value that
 * slipped through validation would reach the service and be answered NOT_FOUND (counted as
 * accepted nonsense) rather than change anything.
 */

let api: ApiHarness;
let coordinator: string;
let types: Map<string, FullType>;
let mutations: { name: string; args: InputValue[]; returnType: TypeRef }[];

beforeAll(async () => {
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
  const schema = schemaTypes(api);
  types = schema.types;
  const mutation = types.get(schema.mutationType);
  mutations = (mutation?.fields ?? []).map((field) => ({
    name: field.name,
    args: field.args,
    returnType: field.type,
  }));
});

afterAll(async () => {
  await api.stop();
});

/** Plausible values, so only the one value under test is wrong. */
function plausible(ref: TypeRef, name: string): unknown {
  if (ref.kind === 'NON_NULL') return plausible(ref.ofType as TypeRef, name);
  if (ref.kind === 'LIST') return [plausible(ref.ofType as TypeRef, name)];
  const type = types.get(ref.name as string) as FullType;
  if (type.kind === 'ENUM') return type.enumValues?.[0]?.name;
  if (type.kind === 'INPUT_OBJECT') {
    return Object.fromEntries(
      (type.inputFields ?? []).map((field) => [field.name, plausible(field.type, field.name)]),
    );
  }
  switch (type.name) {
    case 'ID':
      return randomUUID();
    case 'Int':
      if (name === 'year') return new Date().getUTCFullYear();
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'Date':
      return daysFromNow(30);
    case 'BigInt':
      return '100';
    default:
      if (name === 'interfaceKey' || name === 'key') return 'SF9999';
      if (/dataElements$/i.test(name)) return 'CPR.NAVN';
      if (/email/i.test(name)) return 'someone@example.org';
      return 'plausible text';
  }
}

const OVERSIZE = 'x'.repeat(600_000);

/** Values that are wrong for a position of this type, whatever the field means. */
function nonsense(ref: TypeRef): { label: string; value: unknown }[] {
  const required = ref.kind === 'NON_NULL';
  const inner = required ? (ref.ofType as TypeRef) : ref;
  const values: { label: string; value: unknown }[] = [];
  if (required) values.push({ label: 'null for a required value', value: null });
  if (inner.kind === 'LIST') {
    values.push({
      label: 'a list of 1,000',
      value: Array.from({ length: 1000 }, () => plausible(inner.ofType as TypeRef, '')),
    });
    return values;
  }
  const type = types.get(inner.name as string) as FullType;
  if (type.kind === 'INPUT_OBJECT') {
    values.push({ label: 'a string for an object', value: 'x' });
    if (
      (type.inputFields ?? []).some((field) => field.type.kind === 'NON_NULL' && field.defaultValue === null)
    ) {
      values.push({ label: 'an object missing its required fields', value: {} });
    }
    return values;
  }
  if (type.kind === 'ENUM') {
    const first = type.enumValues?.[0]?.name ?? 'X';
    values.push(
      { label: 'an unknown enum value', value: 'NOT_A_VALUE' },
      {
        label: 'an enum value in lower case',
        value: first.toLowerCase() === first ? first.toUpperCase() : first.toLowerCase(),
      },
      { label: 'a number for an enum', value: 1 },
    );
    return values;
  }
  const wrongType = [
    { label: 'an object for a scalar', value: { a: 1 } },
    { label: 'a list of lists for a scalar', value: [[1]] },
  ];
  switch (type.name) {
    case 'Int':
      return [
        ...values,
        ...wrongType,
        { label: 'Int 2147483648', value: 2147483648 },
        { label: 'Int 1e20', value: 1e20 },
        { label: 'Int 1.5', value: 1.5 },
        { label: 'Int "1"', value: '1' },
        { label: 'Int -1', value: -1 },
        { label: 'Int true', value: true },
      ];
    case 'Boolean':
      return [
        ...values,
        ...wrongType,
        { label: 'Boolean "true"', value: 'true' },
        { label: 'Boolean 1', value: 1 },
      ];
    case 'ID':
      return [
        ...values,
        ...wrongType,
        { label: 'ID ""', value: '' },
        { label: 'ID not a UUID', value: "1' OR '1'='1" },
        { label: 'ID with NUL', value: `${randomUUID()}\u0000` },
        { label: 'ID true', value: true },
      ];
    case 'Date':
      return [
        ...values,
        ...wrongType,
        { label: 'Date 2026-02-30', value: '2026-02-30' },
        { label: 'Date 30-01-2027', value: '30-01-2027' },
        { label: 'Date 9999-12-31', value: '9999-12-31' },
        { label: 'Date ""', value: '' },
        { label: 'Date as a number', value: 20270101 },
        { label: 'Date with a time', value: '2027-01-01T00:00:00Z' },
      ];
    case 'BigInt':
      return [
        ...values,
        ...wrongType,
        { label: 'money 1e3', value: '1e3' },
        { label: 'money 12.50', value: '12.50' },
        { label: 'money -100', value: '-100' },
        { label: 'money 10^23', value: '100000000000000000000000' },
        { label: 'money 1.5 as a number', value: 1.5 },
        { label: 'money ""', value: '' },
        { label: 'money 0x10', value: '0x10' },
      ];
    case 'String':
      return [
        ...values,
        ...wrongType,
        ...(required
          ? [
              { label: 'String ""', value: '' },
              { label: 'String of spaces', value: '   \t\n ' },
            ]
          : []),
        { label: 'String with NUL', value: 'a\u0000b' },
        { label: 'String NUL only', value: '\u0000' },
        { label: 'String with a lone high surrogate', value: 'a\uD800b' },
        { label: 'String with a lone low surrogate', value: '\uDC00' },
        { label: 'String of 600,000 characters', value: OVERSIZE },
        { label: 'String as a number', value: 12 },
      ];
    default:
      return [...values, ...wrongType];
  }
}

interface Position {
  /** The path as the API names it: variable (= argument) name, then fields; list elements as [0]. */
  path: string;
  type: TypeRef;
  /** Sets a value at this position inside the arguments. */
  set: (args: Record<string, unknown>, value: unknown) => void;
}

/** Every position a value can be put in: arguments, input fields, list elements, to depth 4. */
function positions(args: InputValue[]): Position[] {
  const found: Position[] = [];
  const walk = (
    ref: TypeRef,
    path: string,
    set: Position['set'],
    get: (args: Record<string, unknown>) => unknown,
    depth: number,
  ) => {
    found.push({ path, type: ref, set });
    if (depth > 4) return;
    const inner = ref.kind === 'NON_NULL' ? (ref.ofType as TypeRef) : ref;
    if (inner.kind === 'LIST') {
      const element = inner.ofType as TypeRef;
      walk(
        element,
        `${path}[0]`,
        (args, value) => {
          (get(args) as unknown[])[0] = value;
        },
        (args) => (get(args) as unknown[])[0],
        depth + 1,
      );
      return;
    }
    const type = types.get(inner.name as string) as FullType;
    if (type.kind !== 'INPUT_OBJECT') return;
    found.push({
      path: `${path}.unknownField`,
      type: { kind: 'SCALAR', name: '__unknown', ofType: null },
      set: (args, value) => {
        (get(args) as Record<string, unknown>).unknownField = value;
      },
    });
    for (const field of type.inputFields ?? []) {
      walk(
        field.type,
        `${path}.${field.name}`,
        (args, value) => {
          (get(args) as Record<string, unknown>)[field.name] = value;
        },
        (args) => (get(args) as Record<string, unknown>)[field.name],
        depth + 1,
      );
    }
  };
  for (const arg of args) {
    walk(
      arg.type,
      arg.name,
      (values, value) => {
        values[arg.name] = value;
      },
      (values) => values[arg.name],
      0,
    );
  }
  return found;
}

const normalise = (path: string) => path.replace(/\[\d+\]/g, '');

/** Rows of every table a mutation could write, as one fingerprint. */
async function fingerprint(): Promise<string> {
  const tables: { name: string }[] = (
    await api.db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('migrations', 'typeorm_metadata') ORDER BY 1",
    )
  ).rows;
  const parts: string[] = [];
  for (const { name } of tables) {
    const result = await api.db.query<{ digest: string | null }>(
      `SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS digest FROM "${name}" t`,
    );
    parts.push(`${name}:${result.rows[0]?.digest}`);
  }
  return parts.join('\n');
}

describe('the bad-input corpus over every mutation', () => {
  it('answers every bad value with BAD_USER_INPUT naming it, never INTERNAL_SERVER_ERROR, and changes nothing', async () => {
    const before = await fingerprint();
    const figures = {
      mutations: 0,
      positions: 0,
      tried: 0,
      precise: 0,
      imprecise: 0,
      internal: 0,
      acceptedNonsense: 0,
      refusedInReport: 0,
    };
    const problems: string[] = [];

    for (const mutation of mutations) {
      figures.mutations += 1;
      const signature = mutation.args.map((arg) => `$${arg.name}: ${printType(arg.type)}`).join(', ');
      const call = mutation.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
      const returned = types.get(namedType(mutation.returnType).name as string) as FullType & {
        fields?: { name: string }[] | null;
      };
      // Imports answer a refusal in their report (applied: false, with each row's problem).
      const reports = returned.fields?.some((field) => field.name === 'applied') ?? false;
      const selection = returned.kind === 'OBJECT' ? `{ __typename ${reports ? 'applied' : ''} }` : '';
      const refusedInReport = (response: { data: Record<string, unknown> | null }) =>
        reports && (response.data?.[mutation.name] as { applied?: boolean } | undefined)?.applied === false;
      const document = `mutation${signature ? `(${signature})` : ''} { ${mutation.name}${call ? `(${call})` : ''} ${selection} }`;
      const baseline = () =>
        Object.fromEntries(mutation.args.map((arg) => [arg.name, plausible(arg.type, arg.name)])) as Record<
          string,
          unknown
        >;

      // The plausible call itself must be refused without a bug and without a change (unknown ids).
      const plain = await api.graphql(coordinator, document, baseline());
      const plainCode = plain.errors?.[0]?.extensions?.code;
      if ((!plain.errors && !refusedInReport(plain)) || plainCode === 'INTERNAL_SERVER_ERROR') {
        problems.push(`${mutation.name} (plausible values): ${plainCode ?? 'accepted'}`);
      }

      for (const position of positions(mutation.args)) {
        figures.positions += 1;
        const values =
          position.type.name === '__unknown'
            ? [{ label: 'an unknown input field', value: 1 }]
            : nonsense(position.type);
        for (const { label, value } of values) {
          figures.tried += 1;
          const variables = baseline();
          position.set(variables, value);
          const response = await api.graphql(coordinator, document, variables);
          const error = response.errors?.[0];
          const code = error?.extensions?.code;
          const fields = ((error?.extensions?.fields as string[] | undefined) ?? []).map(normalise);
          const wanted = normalise(position.path);
          const where = `${mutation.name} ${position.path} ← ${label}`;
          if (code === 'INTERNAL_SERVER_ERROR') {
            figures.internal += 1;
            problems.push(`${where}: INTERNAL_SERVER_ERROR`);
          } else if (!error && refusedInReport(response)) {
            figures.precise += 1;
            figures.refusedInReport += 1;
          } else if (code !== 'BAD_USER_INPUT') {
            figures.acceptedNonsense += 1;
            problems.push(`${where}: accepted (${code ?? 'no error'})`);
          } else if (fields.some((field) => field === wanted || field.startsWith(`${wanted}.`))) {
            figures.precise += 1;
          } else {
            figures.imprecise += 1;
            problems.push(`${where}: BAD_USER_INPUT naming ${JSON.stringify(fields)}`);
          }
        }
      }
    }

    console.log(`bad-input corpus: ${JSON.stringify(figures)}`);
    expect(problems).toEqual([]);
    expect(figures.mutations).toBeGreaterThanOrEqual(24);
    expect(figures.tried).toBe(figures.precise);
    expect(await fingerprint()).toBe(before);
  }, 300_000);
});
