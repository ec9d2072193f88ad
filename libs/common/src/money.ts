import { badInput } from './errors.js';

/**
 * The largest amount of money the API accepts, in øre: 10^13 øre = 100 billion kroner. Far
 * beyond any interface price or a programme's yearly costs, and small enough that sums of
 * hundreds of such amounts stay exact in a JavaScript number (2^53 ≈ 9 × 10^15).
 */
export const MAX_MONEY_OERE = 10_000_000_000_000n;

const WHOLE_OERE = /^(0|[1-9]\d*)$/;

/** True for a whole, non-negative number of øre written in decimal, at most MAX_MONEY_OERE. */
export function isMoneyOere(value: string): boolean {
  return WHOLE_OERE.test(value) && value.length <= 14 && BigInt(value) <= MAX_MONEY_OERE;
}

/** A money amount in øre as a decimal string, or BAD_USER_INPUT naming `field`. */
export function assertMoneyOere(value: string, field: string): string {
  if (!isMoneyOere(value)) {
    throw badInput(
      `${field} must be whole øre from 0 to ${MAX_MONEY_OERE} (100 billion kroner), got "${value.slice(0, 40)}"`,
      { fields: [field] },
    );
  }
  return value;
}
