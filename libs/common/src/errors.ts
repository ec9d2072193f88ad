/**
 * Domain errors carry a code from this enum; the API maps each code to the
 * GraphQL `extensions.code` of the contract in one filter, so services never
 * build transport errors themselves.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  CONFLICT = 'CONFLICT',
  /** A stored snapshot of a machine version this build cannot read. */
  UNSUPPORTED_MACHINE_VERSION = 'UNSUPPORTED_MACHINE_VERSION',
}

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

export const badInput = (message: string, details: ErrorDetails = {}): SnitflowError =>
  new SnitflowError(ErrorCode.BAD_USER_INPUT, message, details);

export const notFound = (what: string, id: string): SnitflowError =>
  new SnitflowError(ErrorCode.NOT_FOUND, `${what} ${id} does not exist or is not visible to you`, {
    id,
  });

export const forbidden = (message: string): SnitflowError => new SnitflowError(ErrorCode.FORBIDDEN, message);

export const conflict = (message: string, details: ErrorDetails = {}): SnitflowError =>
  new SnitflowError(ErrorCode.CONFLICT, message, details);
