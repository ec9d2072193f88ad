import {
  allocate,
  computeQuarter,
  computeTrueUp,
  SettlementInputError,
  splitYearIntoQuarters,
  type Weight,
} from '@snitflow/settlement';
import fc from 'fast-check';

const w = (entries: Record<string, number | bigint>): Weight[] =>
  Object.entries(entries).map(([key, weight]) => ({ key, weight: BigInt(weight) }));
const plain = (map: Map<string, bigint>) => Object.fromEntries([...map].map(([k, v]) => [k, v.toString()]));

describe('splitYearIntoQuarters (hand-computed)', () => {
  it("gives the earliest quarters the extra øre: the issue's example", () => {
    expect(splitYearIntoQuarters(1_234_567_891n)).toEqual([
      308_641_973n,
      308_641_973n,
      308_641_973n,
      308_641_972n,
    ]);
  });
  it('splits evenly when it divides, and 3 øre as 1,1,1,0', () => {
    expect(splitYearIntoQuarters(400n)).toEqual([100n, 100n, 100n, 100n]);
    expect(splitYearIntoQuarters(3n)).toEqual([1n, 1n, 1n, 0n]);
  });
  it('refuses a negative yearly amount', () => {
    expect(() => splitYearIntoQuarters(-1n)).toThrow(SettlementInputError);
  });
});

describe('allocate (largest remainder, hand-computed)', () => {
  it('gives tied remainders to the lower municipality code, whatever the input order', () => {
    // 10 / 3 = 3 each, remainder 1 each: the one øre left goes to 101.
    expect(plain(allocate(10n, w({ 103: 1, 101: 1, 102: 1 })))).toEqual({ 101: '4', 102: '3', 103: '3' });
  });
  it('gives the øre left over to the largest remainders first', () => {
    // 3 øre over weights 1:5:2:2 (of 10): exact 0.3, 1.5, 0.6, 0.6 → floors 0,1,0,0; remainders
    // 3,5,6,6 tenths: the two øre left go to 103 and 104 (6/10 each), not to 102 (5/10).
    expect(plain(allocate(3n, w({ 101: 1, 102: 5, 103: 2, 104: 2 })))).toEqual({
      101: '0',
      102: '1',
      103: '1',
      104: '1',
    });
  });
  it('an amount smaller than the number of municipalities: one øre each to the lowest codes on a tie', () => {
    expect(plain(allocate(2n, w({ 105: 7, 104: 7, 103: 7, 102: 7, 101: 7 })))).toEqual({
      101: '1',
      102: '1',
      103: '0',
      104: '0',
      105: '0',
    });
  });
  it('a single municipality pays all of it', () => {
    expect(plain(allocate(999n, w({ 101: 5 })))).toEqual({ 101: '999' });
  });
  it('a municipality with zero weight pays nothing', () => {
    expect(plain(allocate(100n, w({ 101: 0, 102: 1 })))).toEqual({ 101: '0', 102: '100' });
  });
  it('is exact beyond 2^53 øre', () => {
    // (2^60 + 1) / 3 = 384307168202282325 rest 2: 101 and 102 get one more. A float would round 2^60 + 1.
    const amount = 2n ** 60n + 1n;
    expect(plain(allocate(amount, w({ 101: 1, 102: 1, 103: 1 })))).toEqual({
      101: '384307168202282326',
      102: '384307168202282326',
      103: '384307168202282325',
    });
  });
  it('splits a negative amount as the mirror of its absolute value', () => {
    expect(plain(allocate(-10n, w({ 101: 1, 102: 1, 103: 1 })))).toEqual({ 101: '-4', 102: '-3', 103: '-3' });
  });
  it('refuses a negative weight, a duplicate key, and a non-zero amount over zero weights', () => {
    expect(() => allocate(1n, w({ 101: -1, 102: 2 }))).toThrow(SettlementInputError);
    expect(() => allocate(1n, [...w({ 101: 1 }), ...w({ 101: 1 })])).toThrow(/twice/);
    expect(() => allocate(1n, w({ 101: 0 }))).toThrow(/every weight is zero/);
    expect(plain(allocate(0n, w({ 101: 0 })))).toEqual({ 101: '0' });
  });
});

// The worked example of the README: two municipalities, one data area, a year.
const municipalities = [
  { code: '101', inhabitants: 3n },
  { code: '102', inhabitants: 1n },
];
const estimates = [{ dataAreaCode: 'INCOME', fixedOere: 400n, variableOere: 800n }];
const quarterLookups = {
  1: [
    { municipalityCode: '101', dataAreaCode: 'INCOME', lookups: 1n },
    { municipalityCode: '102', dataAreaCode: 'INCOME', lookups: 1n },
  ],
  2: [],
  3: [{ municipalityCode: '101', dataAreaCode: 'INCOME', lookups: 3n }],
  4: [
    { municipalityCode: '101', dataAreaCode: 'INCOME', lookups: 1n },
    { municipalityCode: '102', dataAreaCode: 'INCOME', lookups: 3n },
  ],
} as const;
const quarters = ([1, 2, 3, 4] as const).map((quarter) =>
  computeQuarter({ year: 2026, quarter, municipalities, estimates, lookups: quarterLookups[quarter] }),
);
const amounts = (quarter: number) =>
  quarters[quarter - 1]?.lines.map((l) => [l.municipalityCode, l.fixedOere, l.variableOere, l.totalOere]);

describe('computeQuarter (the README example)', () => {
  it('splits the fixed quarter by inhabitants and the variable quarter by lookups', () => {
    expect(amounts(1)).toEqual([
      ['101', 75n, 100n, 175n],
      ['102', 25n, 100n, 125n],
    ]);
    expect(amounts(3)).toEqual([
      ['101', 75n, 200n, 275n],
      ['102', 25n, 0n, 25n],
    ]);
    expect(amounts(4)).toEqual([
      ['101', 75n, 50n, 125n],
      ['102', 25n, 150n, 175n],
    ]);
  });
  it('bills no variable cost in a quarter without lookups: it waits for the true-up', () => {
    expect(amounts(2)).toEqual([
      ['101', 75n, 0n, 75n],
      ['102', 25n, 0n, 25n],
    ]);
    expect(quarters[1]?.areaTotals[0]).toMatchObject({
      variableOere: 0n,
      quarterVariableOere: 200n,
      variableDeferred: true,
    });
  });
  it('refuses a true-up outside Q1, and a fixed cost with nobody to pay it', () => {
    const trueUp = [
      {
        municipalityCode: '101',
        dataAreaCode: 'INCOME',
        realisedShareOere: 1n,
        billedOere: 0n,
        settledBeforeOere: 0n,
        trueUpOere: 1n,
      },
    ];
    expect(() =>
      computeQuarter({ year: 2026, quarter: 2, municipalities, estimates, lookups: [], trueUp }),
    ).toThrow(/Q1 only/);
    expect(() =>
      computeQuarter({ year: 2026, quarter: 1, municipalities: [], estimates, lookups: [] }),
    ).toThrow(/no municipality has inhabitants/);
  });
});

describe('computeTrueUp (the README example)', () => {
  const billed = quarters.flatMap((q) =>
    q.lines.map((l) => ({
      municipalityCode: l.municipalityCode,
      dataAreaCode: l.dataAreaCode,
      oere: l.fixedOere + l.variableOere,
    })),
  );
  const year = {
    year: 2026,
    municipalities,
    realised: [{ dataAreaCode: 'INCOME', fixedOere: 360n, variableOere: 400n }],
    lookups: Object.values(quarterLookups).flat(),
    billed,
  };
  it('gives back what was billed beyond the realised share: negative true-ups', () => {
    // Billed: 101 300 + 350 = 650, 102 100 + 250 = 350. Realised fixed 360 by 3:1 = 270 / 90;
    // variable 400 by the year's lookups 5:4 = 222.2 / 177.8 → 222 / 178 (102 has the larger remainder).
    const lines = computeTrueUp([year], []);
    expect(lines.map((l) => [l.municipalityCode, l.realisedShareOere, l.billedOere, l.trueUpOere])).toEqual([
      ['101', 492n, 650n, -158n],
      ['102', 268n, 350n, -82n],
    ]);
    const q1 = computeQuarter({
      year: 2027,
      quarter: 1,
      municipalities,
      estimates,
      lookups: [],
      trueUp: lines,
    });
    expect(q1.areaTotals[0]).toMatchObject({
      trueUpOere: -240n,
      fixedOere: 100n,
      variableOere: 0n,
      totalOere: -140n,
    });
  });
  it('subtracts what earlier Q1s already settled, so a later correction is all that remains', () => {
    const settled = [
      { municipalityCode: '101', dataAreaCode: 'INCOME', oere: -158n },
      { municipalityCode: '102', dataAreaCode: 'INCOME', oere: -82n },
    ];
    expect(computeTrueUp([year], settled).map((l) => l.trueUpOere)).toEqual([0n, 0n]);
    // 102 is found to have had 2 more lookups in Q4: the variable share moves to 5:6 of 400 = 182 / 218.
    const corrected = {
      ...year,
      lookups: [...year.lookups, { municipalityCode: '102', dataAreaCode: 'INCOME', lookups: 2n }],
    };
    expect(computeTrueUp([corrected], settled).map((l) => [l.municipalityCode, l.trueUpOere])).toEqual([
      ['101', -40n],
      ['102', 40n],
    ]);
  });
  it('splits realised variable cost by inhabitants when the year had no lookups at all', () => {
    const lines = computeTrueUp([{ ...year, lookups: [], billed: [] }], []);
    // 360 fixed + 400 variable, both 3:1.
    expect(lines.map((l) => l.realisedShareOere)).toEqual([570n, 190n]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties (fast-check): arbitrary inputs.

const codes = fc.uniqueArray(fc.integer({ min: 100, max: 999 }).map(String), { minLength: 1, maxLength: 30 });
const weightsArb = codes.chain((keys) =>
  fc
    .array(fc.bigInt({ min: 0n, max: 2n ** 40n }), { minLength: keys.length, maxLength: keys.length })
    .map((weights) => keys.map((key, i) => ({ key, weight: weights[i] ?? 0n })))
    .filter((parts) => parts.some((part) => part.weight > 0n)),
);
const amountArb = fc.bigInt({ min: 0n, max: 2n ** 70n });

describe('allocate (properties)', () => {
  it('the parts sum to the whole, none is negative, and each is its exact share rounded down or up', () => {
    fc.assert(
      fc.property(amountArb, weightsArb, (amount, weights) => {
        const parts = allocate(amount, weights);
        const total = weights.reduce((s, p) => s + p.weight, 0n);
        let sum = 0n;
        for (const { key, weight } of weights) {
          const share = parts.get(key) ?? -1n;
          const floor = (amount * weight) / total;
          if (share < 0n || share < floor || share > floor + 1n) return false;
          sum += share;
        }
        return sum === amount && parts.size === weights.length;
      }),
    );
  });
  it('a negative amount splits to parts that sum to it, none positive', () => {
    fc.assert(
      fc.property(amountArb, weightsArb, (amount, weights) => {
        const parts = [...allocate(-amount, weights).values()];
        return parts.reduce((s, v) => s + v, 0n) === -amount && parts.every((v) => v <= 0n);
      }),
    );
  });
  it('the order of the input rows does not matter', () => {
    fc.assert(
      fc.property(
        amountArb,
        weightsArb.chain((weights) =>
          fc.tuple(fc.constant(weights), fc.shuffledSubarray(weights, { minLength: weights.length })),
        ),
        (amount, [weights, shuffled]) => {
          expect(plain(allocate(amount, shuffled))).toEqual(plain(allocate(amount, weights)));
        },
      ),
    );
  });
});

describe('splitYearIntoQuarters (properties)', () => {
  it('sums to the year, earliest quarters never smaller, at most one øre apart', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 80n }), (yearly) => {
        const q = splitYearIntoQuarters(yearly);
        const [a, b, c, d] = q;
        return a + b + c + d === yearly && a >= b && b >= c && c >= d && a - d <= 1n;
      }),
    );
  });
});

describe('computeQuarter (properties)', () => {
  const scenario = codes.chain((municipalityCodes) =>
    fc.record({
      municipalities: fc
        .constant(municipalityCodes)
        .chain((keys) =>
          fc.tuple(
            ...keys.map((code) =>
              fc.bigInt({ min: 1n, max: 1_000_000n }).map((inhabitants) => ({ code, inhabitants })),
            ),
          ),
        ),
      estimates: fc.uniqueArray(
        fc.record({
          dataAreaCode: fc.constantFrom('INCOME', 'CPR', 'HOUSING', 'JOBS'),
          fixedOere: fc.bigInt({ min: 0n, max: 2n ** 64n }),
          variableOere: fc.bigInt({ min: 0n, max: 2n ** 64n }),
        }),
        { selector: (e) => e.dataAreaCode, minLength: 1 },
      ),
      lookups: fc.uniqueArray(
        fc.record({
          municipalityCode: fc.constantFrom(...municipalityCodes),
          dataAreaCode: fc.constantFrom('INCOME', 'CPR', 'HOUSING', 'JOBS'),
          lookups: fc.bigInt({ min: 0n, max: 10n ** 9n }),
        }),
        { selector: (l) => `${l.municipalityCode}/${l.dataAreaCode}` },
      ),
      quarter: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const),
    }),
  );
  it("each area's lines sum to its quarter of the estimate (variable: when anyone looked up), none negative, order irrelevant", () => {
    fc.assert(
      fc.property(scenario, fc.infiniteStream(fc.nat()), (s, noise) => {
        const input = { year: 2026, ...s };
        const result = computeQuarter(input);
        for (const total of result.areaTotals) {
          const estimate = s.estimates.find((e) => e.dataAreaCode === total.dataAreaCode);
          if (!estimate) return false;
          const lines = result.lines.filter((l) => l.dataAreaCode === total.dataAreaCode);
          const fixed = lines.reduce((sum, l) => sum + l.fixedOere, 0n);
          const variable = lines.reduce((sum, l) => sum + l.variableOere, 0n);
          if (fixed !== splitYearIntoQuarters(estimate.fixedOere)[s.quarter - 1]) return false;
          const quarterVariable = splitYearIntoQuarters(estimate.variableOere)[s.quarter - 1];
          if (variable !== (total.lookups > 0n ? quarterVariable : 0n)) return false;
          if (total.fixedOere !== fixed || total.variableOere !== variable) return false;
          if (lines.some((l) => l.fixedOere < 0n || l.variableOere < 0n)) return false;
        }
        // The same rows in another order give the same bills.
        const shuffle = <T>(rows: readonly T[]) => {
          const it = noise[Symbol.iterator]();
          return [...rows]
            .map((row) => ({ row, k: it.next().value as number }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.row);
        };
        const again = computeQuarter({
          ...input,
          municipalities: shuffle(s.municipalities),
          estimates: shuffle(s.estimates),
          lookups: shuffle(s.lookups),
        });
        expect(again).toEqual(result);
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
