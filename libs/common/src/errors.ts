/**
 * Domain errors carry a code from this enum; the API maps each code to the
 * GraphQL `extensions.code` of the contract in one formatter, so services never
 * build transport errors themselves. Every code, its HTTP status and whether a
 * client may retry it is in ERROR_CODES below and in the README's errors table.
 */
export enum ErrorCode {
  /** A value the caller sent is wrong: `extensions.fields` names where. */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** The caller's role may not do this; it depends on the role and operation only, never on data. */
  FORBIDDEN = 'FORBIDDEN',
  /** Does not exist, or the caller may not see it (the two are never told apart). */
  NOT_FOUND = 'NOT_FOUND',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  CONFLICT = 'CONFLICT',
  /** A stored snapshot of a machine version this build cannot read. */
  UNSUPPORTED_MACHINE_VERSION = 'UNSUPPORTED_MACHINE_VERSION',
  /** The document could return more than the cost limit allows (lists × their page sizes). */
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  /** The HTTP request is not a GraphQL request: malformed JSON, no query, an empty query. */
  BAD_REQUEST = 'BAD_REQUEST',
  /** The request body is over the 1 MiB limit. */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** A mutation sent with GET. */
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  /** The document does not parse. */
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  /** The document does not fit the schema, or is too deep. */
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  /** Too many requests from this token or address (the rate limits, apps/api/src/http-edges). */
  RATE_LIMITED = 'RATE_LIMITED',
  /** PostgreSQL is unreachable or restarting: nothing was done, retry shortly. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** A bug on our side: logged with the request id, which the answer quotes. */
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** How each code travels: the HTTP status of a response carrying it, and whether retrying can help. */
export const ERROR_CODES: Readonly<Record<ErrorCode, { httpStatus: number; retryable: boolean }>> = {
  [ErrorCode.BAD_USER_INPUT]: { httpStatus: 200, retryable: false },
  [ErrorCode.UNAUTHENTICATED]: { httpStatus: 200, retryable: false },
  [ErrorCode.FORBIDDEN]: { httpStatus: 200, retryable: false },
  [ErrorCode.NOT_FOUND]: { httpStatus: 200, retryable: false },
  [ErrorCode.INVALID_TRANSITION]: { httpStatus: 200, retryable: false },
  [ErrorCode.CONFLICT]: { httpStatus: 200, retryable: false },
  [ErrorCode.UNSUPPORTED_MACHINE_VERSION]: { httpStatus: 200, retryable: false },
  [ErrorCode.QUERY_TOO_COMPLEX]: { httpStatus: 400, retryable: false },
  [ErrorCode.BAD_REQUEST]: { httpStatus: 400, retryable: false },
  [ErrorCode.PAYLOAD_TOO_LARGE]: { httpStatus: 413, retryable: false },
  [ErrorCode.METHOD_NOT_ALLOWED]: { httpStatus: 405, retryable: false },
  [ErrorCode.GRAPHQL_PARSE_FAILED]: { httpStatus: 400, retryable: false },
  [ErrorCode.GRAPHQL_VALIDATION_FAILED]: { httpStatus: 400, retryable: false },
  [ErrorCode.RATE_LIMITED]: { httpStatus: 429, retryable: true },
  [ErrorCode.SERVICE_UNAVAILABLE]: { httpStatus: 503, retryable: true },
  [ErrorCode.INTERNAL_SERVER_ERROR]: { httpStatus: 200, retryable: false },
};

export type ErrorDetails = Record<string, string | number | boolean | null | readonly string[]>;

export class SnitflowError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'SnitflowError';
  }
}

/**
 * BAD_USER_INPUT. Name the offending input as `fields` (paths such as `input.terms.priceOere`);
 * a single `field` is kept and also reported as `fields: [field]`, so clients can always read `fields`.
 */
export const badInput = (message: string, details: ErrorDetails = {}): SnitflowError => {
  const field = details.field;
  return new SnitflowError(
    ErrorCode.BAD_USER_INPUT,
    message,
    typeof field === 'string' && details.fields === undefined ? { ...details, fields: [field] } : details,
  );
};

export const notFound = (what: string, id: string): SnitflowError =>
  new SnitflowError(ErrorCode.NOT_FOUND, `${what} ${id} does not exist or is not visible to you`, {
    id,
  });

export const forbidden = (message: string): SnitflowError => new SnitflowError(ErrorCode.FORBIDDEN, message);

export const conflict = (message: string, details: ErrorDetails = {}): SnitflowError =>
  new SnitflowError(ErrorCode.CONFLICT, message, details);
