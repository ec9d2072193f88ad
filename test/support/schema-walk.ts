import { GraphQLSchemaHost } from '@nestjs/graphql';
import { introspectionFromSchema } from 'graphql';
import type { ApiHarness } from './api-harness.js';

/**
 * The API's schema as its own introspection describes it, for tests that walk every operation
 * (the bad-input corpus, the privacy sweep): new operations are covered the day they are added.
 * Read from the running app's schema, since an HTTP introspection query would exceed the depth
 * limit. Only the parts of graphql-js's introspection result the walkers read are typed here.
 */

export interface TypeRef {
  kind: string;
  name?: string | null;
  ofType?: TypeRef | null;
}

export interface InputValue {
  name: string;
  type: TypeRef;
  defaultValue: string | null;
}

export interface FullType {
  kind: string;
  name: string;
  inputFields: InputValue[] | null;
  enumValues: { name: string }[] | null;
  fields: { name: string; args: InputValue[]; type: TypeRef }[] | null;
}

export interface SchemaTypes {
  /** Every named type, by name. */
  types: Map<string, FullType>;
  queryType: string;
  mutationType: string;
}

export function schemaTypes(api: ApiHarness): SchemaTypes {
  const schema = introspectionFromSchema(api.app.get(GraphQLSchemaHost).schema) as unknown as {
    __schema: { queryType: { name: string }; mutationType: { name: string }; types: FullType[] };
  };
  return {
    types: new Map(schema.__schema.types.map((type) => [type.name, type])),
    queryType: schema.__schema.queryType.name,
    mutationType: schema.__schema.mutationType.name,
  };
}

/** A type reference as SDL writes it: `[ID!]!`. */
export const printType = (ref: TypeRef): string =>
  ref.kind === 'NON_NULL'
    ? `${printType(ref.ofType as TypeRef)}!`
    : ref.kind === 'LIST'
      ? `[${printType(ref.ofType as TypeRef)}]`
      : (ref.name as string);

/** The named type under any list and non-null wrappers. */
export const namedType = (ref: TypeRef): TypeRef => (ref.ofType ? namedType(ref.ofType) : ref);
