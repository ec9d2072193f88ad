import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import { MercuriusDriver } from '@nestjs/mercurius';
import { ErrorCode, SnitflowError } from '@snitflow/common';
import type { AppConfig } from '@snitflow/config';
import type { Metrics } from '@snitflow/observability';
import type { LiveEmitter } from '@snitflow/orders';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  Location,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql';
import type { RequestContext } from '../auth/current-user.js';
import { authorizeConnection, refuseAsForbidden } from '../live/connection-auth.js';
import { createErrorFormatter } from './error-formatter.js';
import {
  aliasLimitRule,
  MAX_ALIASES,
  MAX_PAGE_SIZE,
  MAX_QUERY_COST,
  MAX_QUERY_DEPTH,
  pageSizeLimitRule,
  queryCostRule,
} from './query-limits.js';
import { rememberOperation } from './request-log.js';

/**
 * Mercurius on Fastify (chosen by measurement, see README). Abusive documents
 * are refused in validation, before any resolver runs.
 */
export function graphqlOptions(
  config: AppConfig,
  services: { metrics: Metrics; emitter: LiveEmitter },
): MercuriusDriverConfig {
  const production = config.NODE_ENV === 'production';
  const validationRules = [
    aliasLimitRule(MAX_ALIASES),
    pageSizeLimitRule(MAX_PAGE_SIZE),
    queryCostRule(MAX_QUERY_COST),
  ];
  if (production) validationRules.push(NoSchemaIntrospectionCustomRule);
  const timer = operationTimer(services.metrics);
  return {
    driver: MercuriusDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    graphiql: false,
    queryDepth: MAX_QUERY_DEPTH,
    allowBatchedQueries: false,
    // No graphql-jit (mercurius `jit`): measured ~10% faster here, but it ignores default
    // values of input fields (SubmitRequestInput.firmness), which the tests caught.
    validationRules,
    errorFormatter: createErrorFormatter({ hideSuggestions: production }),
    context: (request: FastifyRequest, _reply: FastifyReply): RequestContext => ({ request }),
    buildSchemaOptions: { dateScalarMode: 'isoDate', numberScalarMode: 'integer' },
    // graphql-ws on the same path. Redis carries the messages, so a change made through any
    // API or worker process reaches subscribers on every API process.
    subscription: {
      emitter: services.emitter,
      // The socket, so that LiveService can close it when the connection's token expires; a
      // refused connection_init closes it with 4403 as graphql-ws expects (refuseAsForbidden).
      context: (socket) => {
        refuseAsForbidden(socket);
        return { socket };
      },
      onConnect: ({ payload }) => authorizeConnection(config.JWT_SECRET, payload),
      keepAlive: 30_000,
    },
    hooks: {
      ...timer,
      preValidation: onlyParsedDocuments,
      preSubscriptionExecution: validateSubscription(validationRules),
      // The operation's name for the request's log line, besides the metrics' labels.
      preExecution: [rememberOperation, ...[timer.preExecution ?? []].flat()],
    },
  };
}

/**
 * Refuses a `query` that is not GraphQL text with BAD_REQUEST (400), before validation. When the
 * text does not parse, Mercurius tries it as JSON and runs what comes out as a ready-made syntax
 * tree: `"true"`, `"5"` or `"{}"` then failed inside graphql-js ("definitions is not iterable")
 * and a hand-written tree could reach the validation rules half-formed. A document that graphql-js
 * parsed carries its source Location; one that came from JSON does not (a `loc` written in the
 * JSON is a plain object).
 */
async function onlyParsedDocuments(_schema: unknown, document: DocumentNode): Promise<void> {
  if (document?.loc instanceof Location) return;
  throw new SnitflowError(
    ErrorCode.BAD_REQUEST,
    'Send a GraphQL query as text: POST {"query": "…", "variables": {…}} or GET ?query=…',
  );
}

/**
 * Mercurius runs a subscription's document without validating it (only its depth is checked):
 * no schema rules (an unknown field was subscribed and silently left out), and none of the
 * limits /graphql applies (any number of aliases ran on every change, for every subscriber).
 * This validates it as a query
 * is validated (graphql-js's rules and the same aliases, page-size and cost rules) before it is
 * subscribed, and refuses a syntax tree sent as JSON. The first error is the answer, with the
 * code the same document gets over HTTP.
 */
function validateSubscription(rules: readonly ValidationRule[]) {
  return async (schema: GraphQLSchema, document: DocumentNode): Promise<void> => {
    if (!(document?.loc instanceof Location)) {
      throw new GraphQLError('Send a GraphQL subscription as text', {
        extensions: { code: ErrorCode.BAD_REQUEST },
      });
    }
    const [first] = validate(schema, document, [...specifiedRules, ...rules]);
    if (!first) return;
    const own = first.extensions?.code;
    throw new GraphQLError(first.message, {
      nodes: first.nodes,
      extensions: {
        ...first.extensions,
        code: typeof own === 'string' ? own : ErrorCode.GRAPHQL_VALIDATION_FAILED,
      },
    });
  };
}

/** Times each operation from parsing to result into snitflow_graphql_operation_duration_seconds. */
function operationTimer(metrics: Metrics): NonNullable<MercuriusDriverConfig['hooks']> {
  const started = new WeakMap<object, number>();
  const labels = new WeakMap<object, { operation: string; field: string }>();
  return {
    preParsing: async (_schema, _source, context) => {
      started.set(context, performance.now());
    },
    preExecution: async (_schema, document, context) => {
      labels.set(context, operationLabels(document));
    },
    onResolution: async (_execution, context) => {
      const start = started.get(context);
      const label = labels.get(context);
      if (start === undefined || !label) return;
      metrics.graphqlDuration.observe(label, (performance.now() - start) / 1000);
    },
  };
}

/** Operation type and the first root field's schema name (never an alias or a client's name). */
export function operationLabels(document: DocumentNode): { operation: string; field: string } {
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return { operation: 'unknown', field: '' };
  const first = operation.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
  return { operation: operation.operation, field: first?.kind === Kind.FIELD ? first.name.value : '' };
}
