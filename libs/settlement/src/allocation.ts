/**
 * Exact splitting of money (integer øre, BigInt). The deck's last slide says
 * how costs are shared; issue 10 makes the arithmetic precise: every split is
 * the largest-remainder method and always sums to the amount split, to the øre.
 * Pure: no I/O, no floats anywhere.
 */

export class SettlementInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettlementInputError';
  }
}

/** One recipient of a split and its weight (inhabitants or lookups; ≥ 0). */
export interface Weight {
  /** Identifies the part; ties between equal remainders go to the lower key (municipality codes are three digits, so this is numeric order). */
  readonly key: string;
  readonly weight: bigint;
}

/**
 * Splits `amount` øre across `weights` by the largest-remainder method:
 * each part gets the floor of its exact share `amount × weight / Σ weights`,
 * and the øre left over go one each to the parts with the largest remainders;
 * equal remainders go to the lower key. The result has one entry per key (in
 * key order) and its values sum to `amount` exactly. The order of `weights`
 * does not matter.
 *
 * A negative amount is split as the mirror of its absolute value, so a refund
 * is shared exactly like a charge of the same size.
 *
 * @throws SettlementInputError for a negative weight, a duplicate key, or a
 * non-zero amount over weights that are all zero (nothing to split it by).
 */
export function allocate(amount: bigint, weights: readonly Weight[]): Map<string, bigint> {
  // Callers usually pass parts in key order already; sort only when they do not.
  let inOrder = true;
  for (let index = 1; index < weights.length && inOrder; index++)
    inOrder = compareKeys((weights[index - 1] as Weight).key, (weights[index] as Weight).key) <= 0;
  const sorted = inOrder ? weights : [...weights].sort((a, b) => compareKeys(a.key, b.key));
  let total = 0n;
  for (let index = 0; index < sorted.length; index++) {
    const part = sorted[index] as Weight;
    if (part.weight < 0n) throw new SettlementInputError(`weight of ${part.key} is negative`);
    if (index > 0 && sorted[index - 1]?.key === part.key)
      throw new SettlementInputError(`${part.key} appears twice in one split`);
    total += part.weight;
  }
  const result = new Map<string, bigint>();
  if (amount === 0n) {
    for (const part of sorted) result.set(part.key, 0n);
    return result;
  }
  if (total === 0n) throw new SettlementInputError(`cannot split ${amount} øre: every weight is zero`);
  if (amount < 0n) {
    for (const [key, share] of allocate(-amount, sorted)) result.set(key, -share);
    return result;
  }

  let handedOut = 0n;
  const remainders: { key: string; remainder: bigint }[] = [];
  for (const part of sorted) {
    const numerator = amount * part.weight;
    const share = numerator / total; // BigInt division truncates; both are ≥ 0 here, so it is the floor.
    result.set(part.key, share);
    handedOut += share;
    remainders.push({ key: part.key, remainder: numerator - share * total });
  }
  // Fewer øre are left than there are parts (each floor loses < 1 øre), so one each suffices.
  let left = amount - handedOut;
  if (left > 0n) {
    // Stable sort on an array already in key order: equal remainders stay lower key first.
    remainders.sort((a, b) => (a.remainder === b.remainder ? 0 : a.remainder > b.remainder ? -1 : 1));
    for (const { key, remainder } of remainders) {
      if (left === 0n) break;
      if (remainder === 0n) break;
      result.set(key, (result.get(key) ?? 0n) + 1n);
      left -= 1n;
    }
  }
  return result;
}

/**
 * Splits a yearly amount into its four quarters: a quarter each, and when the
 * amount does not divide by four the earliest quarters take the extra øre
 * (1,234,567,891 → 308,641,973 for Q1–Q3 and 308,641,972 for Q4; issue 10).
 * Returns [Q1, Q2, Q3, Q4], summing to `yearly`.
 *
 * @throws SettlementInputError for a negative amount (estimates are costs).
 */
export function splitYearIntoQuarters(yearly: bigint): [bigint, bigint, bigint, bigint] {
  if (yearly < 0n) throw new SettlementInputError(`a yearly amount cannot be negative: ${yearly}`);
  const base = yearly / 4n;
  const extra = yearly - base * 4n;
  return [0n, 1n, 2n, 3n].map((index) => base + (index < extra ? 1n : 0n)) as [
    bigint,
    bigint,
    bigint,
    bigint,
  ];
}

/**
 * Orders keys by UTF-16 code units. Municipality codes are always three
 * digits, so this is their numeric order: "the lower municipality code".
 */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
