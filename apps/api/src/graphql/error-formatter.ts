import { ErrorCode, SnitflowError } from '@snitflow/common';
import { type ExecutionResult, GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { MercuriusContext } from 'mercurius';

interface FormatterOptions {
  /** Production hides field suggestions ("Did you mean …?"), which leak the schema. */
  hideSuggestions: boolean;
}

const KNOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);

function nestedErrors(error: GraphQLError): readonly GraphQLError[] | null {
  const original = error.originalError as { errors?: unknown } | undefined;
  return Array.isArray(original?.errors) ? (original.errors as GraphQLError[]) : null;
}

/**
 * One place that decides what a caller sees of an error: a domain error keeps
 * its code and details; a GraphQL syntax/validation error keeps its message
 * with a code; anything else is logged with the request id and answered
 * without internals.
 */
export function createErrorFormatter(options: FormatterOptions) {
  return (
    execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>,
    context: MercuriusContext,
  ): {
    statusCode: number;
    response: { data: ExecutionResult['data'] | null; errors: GraphQLFormattedError[] };
  } => {
    const requestId = String(context.reply?.request.id ?? '');
    const flat = execution.errors.flatMap((error) => nestedErrors(error) ?? [error]);
    let validationFailed = false;

    const errors = flat.map((error): GraphQLFormattedError => {
      const original = error.originalError;
      if (original instanceof SnitflowError) {
        return {
          message: original.message,
          locations: error.locations,
          path: error.path,
          extensions: { code: original.code, ...original.details },
        };
      }
      const code = typeof error.extensions?.code === 'string' ? error.extensions.code : null;
      if (!original || (code && KNOWN_CODES.has(code))) {
        validationFailed ||= !execution.data;
        const message = options.hideSuggestions
          ? error.message.replace(/ Did you mean .*$/, '')
          : error.message;
        return {
          message,
          locations: error.locations,
          path: error.path,
          extensions: { ...error.extensions, code: code ?? 'GRAPHQL_VALIDATION_FAILED' },
        };
      }
      context.reply?.log.error(
        { err: original, requestId, path: error.path },
        'unexpected error in a resolver',
      );
      return {
        message: `Internal error; quote request id ${requestId} when reporting it`,
        locations: error.locations,
        path: error.path,
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
      };
    });

    return {
      statusCode: validationFailed ? 400 : 200,
      response: { data: execution.data ?? null, errors },
    };
  };
}
