import { badInput } from './errors.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);

/** Rejects a malformed id before it reaches SQL, where it would surface as a 500. */
export function assertUuid(value: string, field = 'id'): string {
  if (!isUuid(value)) throw badInput(`${field} must be a UUID, got "${value.slice(0, 60)}"`, { field });
  return value.toLowerCase();
}
