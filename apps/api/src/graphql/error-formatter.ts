import { ERROR_CODES, ErrorCode, isInfrastructureError, SnitflowError } from '@snitflow/common';
import type { FastifyRequest } from 'fastify';
import { type ExecutionResult, GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { MercuriusContext } from 'mercurius';
import { PinoLogger } from 'nestjs-pino';
import { recordOutcome } from './request-log.js';

interface FormatterOptions {
  /** Production hides field suggestions ("Did you mean …?"), which leak the schema. */
  hideSuggestions: boolean;
}

/** The logger of one request: pino-http's child logger, which carries the request id as reqId. */
export interface RequestLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * The application's pino logger (LOG_LEVEL, LOG_DESTINATION). Mercurius routes are not Nest
 * routes, so no request-scoped child logger exists for them; each line names its requestId
 * (explicitly, and through the loggers' mixin).
 */
export function loggerOf(_request: FastifyRequest | undefined): RequestLogger | undefined {
  return PinoLogger.root;
}

/** Codes a GraphQL rule (ours or a library's) may already have set on a request error. */
const REQUEST_ERROR_CODES = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.QUERY_TOO_COMPLEX,
]);

/** Mercurius wraps the errors of parsing, validation and variable coercion in one error. */
function nestedErrors(error: GraphQLError): readonly GraphQLError[] | null {
  const original = error.originalError as { errors?: unknown } | undefined;
  return Array.isArray(original?.errors) ? (original.errors as GraphQLError[]) : null;
}

const VARIABLE_ERROR = /^Variable "\$([A-Za-z_]\w*)" /;
const VARIABLE_PATH = / at "([^"]+)"/;
const UNKNOWN_FIELD = /Field "([^"]+)" is not defined by type/;
const MISSING_FIELD = /Field "([^"]+)" of required type "[^"]+" was not provided/;

/**
 * A variable graphql-js could not coerce (a wrong type, an Int over 2^31−1, 1.5 or "1" for an Int,
 * an unknown enum value, a missing or unknown input field): the path inside `variables` of the
 * offending value, e.g. `input.terms.priceOere` for `$input`.
 */
function variableProblem(error: GraphQLError): { variable: string; field: string } | null {
  const variable = VARIABLE_ERROR.exec(error.message)?.[1];
  if (!variable) return null;
  let field = VARIABLE_PATH.exec(error.message)?.[1] ?? variable;
  const named = UNKNOWN_FIELD.exec(error.message)?.[1] ?? MISSING_FIELD.exec(error.message)?.[1];
  if (named) field = `${field}.${named}`;
  return { variable, field };
}

/** Fastify's and Mercurius's own HTTP refusals (body too large, malformed JSON, no query, GET mutation). */
function httpProblem(original: unknown): { status: number; code: ErrorCode } | null {
  if (original instanceof GraphQLError || original instanceof SnitflowError) return null;
  // Mercurius's wrapper of parse, validation and variable errors is read error by error instead.
  if (Array.isArray((original as { errors?: unknown } | undefined)?.errors)) return null;
  const status = (original as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  if (status === 413) return { status, code: ErrorCode.PAYLOAD_TOO_LARGE };
  if (status === 405) return { status, code: ErrorCode.METHOD_NOT_ALLOWED };
  return { status, code: ErrorCode.BAD_REQUEST };
}

/** Fastify's JSON-schema check of the request body or query string (`validation`, FST_ERR_VALIDATION). */
function isBodyShapeError(error: unknown): boolean {
  if (error instanceof GraphQLError || error === null || typeof error !== 'object') return false;
  const { code, validation } = error as { code?: unknown; validation?: unknown };
  return code === 'FST_ERR_VALIDATION' || Array.isArray(validation);
}

/** False when a request to the endpoint carries no query at all, or only whitespace. */
function hasQuery(request: FastifyRequest): boolean {
  if (!request.url.split('?')[0]?.endsWith('/graphql')) return true;
  const body = request.body as { query?: unknown } | undefined;
  const query = request.query as { query?: unknown } | undefined;
  const source = request.method === 'GET' ? query?.query : body?.query;
  // A parsed document (Mercurius accepts one as JSON) counts as a query.
  if (source !== null && typeof source === 'object') return true;
  return typeof source === 'string' && source.trim() !== '';
}

interface Formatted {
  error: GraphQLFormattedError;
  code: string;
  status: number;
}

/**
 * One place that decides what a caller sees of an error, its HTTP status and its log line:
 * - a domain error keeps its code and details (logged at info, no stack: the caller's mistake);
 * - a request that is not GraphQL gets BAD_REQUEST (400), PAYLOAD_TOO_LARGE (413) or
 *   METHOD_NOT_ALLOWED (405); a document that does not parse or validate
 *   GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED (400); a variable that cannot be coerced
 *   BAD_USER_INPUT with `fields` and `variable` (400);
 * - an unreachable database SERVICE_UNAVAILABLE with `retryable: true` (503, Retry-After);
 * - anything else is a bug: logged at error with its stack and the request id, answered as
 *   INTERNAL_SERVER_ERROR quoting that id and nothing else.
 * The codes are ErrorCode; their statuses ERROR_CODES; the README's errors table lists them.
 */
export function createErrorFormatter(options: FormatterOptions) {
  const message = (error: GraphQLError) =>
    options.hideSuggestions ? error.message.replace(/ Did you mean .*$/, '') : error.message;

  const requestError = (error: GraphQLError): Formatted => {
    const base = { message: message(error), locations: error.locations };
    const variable = variableProblem(error);
    if (variable) {
      return {
        error: {
          ...base,
          extensions: {
            code: ErrorCode.BAD_USER_INPUT,
            fields: [variable.field],
            variable: variable.variable,
          },
        },
        code: ErrorCode.BAD_USER_INPUT,
        status: 400,
      };
    }
    const own = typeof error.extensions?.code === 'string' ? error.extensions.code : null;
    const code =
      own && REQUEST_ERROR_CODES.has(own)
        ? own
        : error.message.startsWith('Syntax Error')
          ? ErrorCode.GRAPHQL_PARSE_FAILED
          : ErrorCode.GRAPHQL_VALIDATION_FAILED;
    return { error: { ...base, extensions: { ...error.extensions, code } }, code, status: 400 };
  };

  return (
    execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>,
    context: MercuriusContext,
  ): {
    statusCode: number;
    response: { data: ExecutionResult['data'] | null; errors: GraphQLFormattedError[] };
  } => {
    const request = context.reply?.request;
    const requestId = String(request?.id ?? '');
    const log = loggerOf(request);
    const formatted: Formatted[] = [];

    for (const error of execution.errors) {
      const http = httpProblem(error.originalError);
      if (http) {
        formatted.push({
          error: { message: error.message, extensions: { code: http.code } },
          code: http.code,
          status: http.status,
        });
        continue;
      }
      if (request && !hasQuery(request)) {
        // Whatever Mercurius made of it (an empty document "does not parse"), the request has no query.
        formatted.push({
          error: {
            message: 'Send a GraphQL query: POST {"query": "…", "variables": {…}} or GET ?query=…',
            extensions: { code: ErrorCode.BAD_REQUEST },
          },
          code: ErrorCode.BAD_REQUEST,
          status: 400,
        });
        break;
      }
      const nested = nestedErrors(error);
      if (nested && (error.originalError as { statusCode?: unknown }).statusCode === 405) {
        formatted.push({
          error: {
            message: 'Only queries may be sent with GET; send mutations with POST',
            extensions: { code: ErrorCode.METHOD_NOT_ALLOWED },
          },
          code: ErrorCode.METHOD_NOT_ALLOWED,
          status: 405,
        });
        continue;
      }
      if (nested?.some(isBodyShapeError)) {
        // Fastify's check of the body's shape (query, variables, operationName, extensions of
        // the wrong JSON type), which Mercurius hands on as a validation error: not GraphQL.
        const shape = nested.find(isBodyShapeError) as Error;
        formatted.push({
          error: {
            message: `Send a GraphQL query: POST {"query": "…", "variables": {…}} (${shape.message})`,
            extensions: { code: ErrorCode.BAD_REQUEST },
          },
          code: ErrorCode.BAD_REQUEST,
          status: 400,
        });
        continue;
      }
      if (nested) {
        for (const inner of nested) {
          const graphqlError = inner instanceof GraphQLError ? inner : new GraphQLError(String(inner));
          formatted.push(requestError(graphqlError));
        }
        continue;
      }
      const original = error.originalError;
      if (original instanceof SnitflowError) {
        formatted.push({
          error: {
            message: original.message,
            locations: error.locations,
            path: error.path,
            extensions: { code: original.code, ...original.details },
          },
          code: original.code,
          status: ERROR_CODES[original.code].httpStatus,
        });
        continue;
      }
      if (!original || !error.path) {
        // Raised by graphql-js itself, outside any resolver: a request error.
        formatted.push(requestError(error));
        continue;
      }
      if (isInfrastructureError(original)) {
        log?.warn(
          { requestId, path: error.path, cause: (original as Error).message },
          'database unavailable; answered SERVICE_UNAVAILABLE (retryable)',
        );
        formatted.push({
          error: {
            message: 'The database is unavailable for a moment; nothing was changed. Retry shortly.',
            locations: error.locations,
            path: error.path,
            extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryable: true, requestId },
          },
          code: ErrorCode.SERVICE_UNAVAILABLE,
          status: 503,
        });
        continue;
      }
      log?.error({ err: original, requestId, path: error.path }, 'unexpected error in a resolver');
      formatted.push({
        error: {
          message: `Internal error; quote request id ${requestId} when reporting it`,
          locations: error.locations,
          path: error.path,
          extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
        },
        code: ErrorCode.INTERNAL_SERVER_ERROR,
        status: 200,
      });
    }

    const codes = formatted.map((item) => item.code);
    const clientErrors = formatted.filter(
      (item) => item.code !== ErrorCode.INTERNAL_SERVER_ERROR && item.code !== ErrorCode.SERVICE_UNAVAILABLE,
    );
    if (clientErrors.length > 0) {
      // The caller's mistakes: worth a line to find a request by, never a stack or an alarm.
      log?.info(
        {
          requestId,
          errors: clientErrors.map((item) => ({
            code: item.code,
            message: item.error.message,
            path: item.error.path,
            fields: item.error.extensions?.fields,
          })),
        },
        'request refused',
      );
    }
    const statusCode = Math.max(...formatted.map((item) => item.status), 200);
    if (statusCode === 503) context.reply?.header('retry-after', '1');
    if (request) recordOutcome(request, codes);
    return {
      statusCode,
      response: { data: execution.data ?? null, errors: formatted.map((item) => item.error) },
    };
  };
}
