import type { OrderSnapshot } from './order.machine.js';
import type { OrderCategory, Party, TestResponsible } from './parties.js';
import { responsibleParties } from './parties.js';
import { ballInCourt, statePath } from './snapshot-queries.js';
import {
  drive,
  orderIn,
  ROUTED_STATES,
  ROUTES,
  type RoutedState,
  type RouteStep,
  samplePayload,
  TEST_PLAN,
} from './testing/order-fixtures.js';

describe('responsibleParties', () => {
  it.each([
    ['NINETY_EIGHT_POTENTIAL', { negotiates: 'KOMBIT', buys: 'KOMBIT', pays: 'KOMBIT' }],
    ['COMMON_NEED', { negotiates: 'KOMBIT', buys: 'MUNICIPALITIES', pays: 'MUNICIPALITIES' }],
    ['MUNICIPALITY_SPECIFIC', { negotiates: 'MUNICIPALITY', buys: 'MUNICIPALITY', pays: 'MUNICIPALITY' }],
  ] as const)('%s: %o', (category, expected) => {
    expect(responsibleParties(category)).toEqual(expected);
  });

  it('returns a copy the caller cannot use to change the rules', () => {
    responsibleParties('COMMON_NEED').pays = 'KOMBIT';
    expect(responsibleParties('COMMON_NEED').pays).toBe('MUNICIPALITIES');
  });
});

/** The route to a state, with the consolidation done under the given category. */
function orderInCategory(state: RoutedState, category: OrderCategory): OrderSnapshot {
  const steps: RouteStep[] = ROUTES[state].map((step) =>
    step === 'CONSOLIDATE' ? samplePayload('CONSOLIDATE', { category }) : step,
  );
  const snapshot = drive(steps);
  expect(statePath(snapshot)).toBe(state);
  return snapshot;
}

describe('ballInCourt', () => {
  // The routes plan the test with the supplier responsible.
  const BALL_BY_CATEGORY: Record<RoutedState, Record<OrderCategory, Party>> = {
    ordered: {
      NINETY_EIGHT_POTENTIAL: 'COORDINATORS',
      COMMON_NEED: 'COORDINATORS',
      MUNICIPALITY_SPECIFIC: 'COORDINATORS',
    },
    consolidated: {
      NINETY_EIGHT_POTENTIAL: 'COORDINATORS',
      COMMON_NEED: 'COORDINATORS',
      MUNICIPALITY_SPECIFIC: 'MUNICIPALITY',
    },
    'negotiation.awaitingSupplier': {
      NINETY_EIGHT_POTENTIAL: 'SUPPLIER',
      COMMON_NEED: 'SUPPLIER',
      MUNICIPALITY_SPECIFIC: 'SUPPLIER',
    },
    'negotiation.supplierWrote': {
      NINETY_EIGHT_POTENTIAL: 'COORDINATORS',
      COMMON_NEED: 'COORDINATORS',
      MUNICIPALITY_SPECIFIC: 'COORDINATORS',
    },
    'negotiation.clarification': {
      NINETY_EIGHT_POTENTIAL: 'COORDINATORS',
      COMMON_NEED: 'COORDINATORS',
      MUNICIPALITY_SPECIFIC: 'MUNICIPALITY',
    },
    'negotiation.proposalReceived': {
      NINETY_EIGHT_POTENTIAL: 'COORDINATORS',
      COMMON_NEED: 'COORDINATORS',
      MUNICIPALITY_SPECIFIC: 'MUNICIPALITY',
    },
    'negotiation.declined': {
      NINETY_EIGHT_POTENTIAL: 'COORDINATORS',
      COMMON_NEED: 'COORDINATORS',
      MUNICIPALITY_SPECIFIC: 'COORDINATORS',
    },
    'negotiation.agreed': {
      NINETY_EIGHT_POTENTIAL: 'COORDINATORS',
      COMMON_NEED: 'COORDINATORS',
      MUNICIPALITY_SPECIFIC: 'COORDINATORS',
    },
    planB: {
      NINETY_EIGHT_POTENTIAL: 'COORDINATORS',
      COMMON_NEED: 'COORDINATORS',
      MUNICIPALITY_SPECIFIC: 'COORDINATORS',
    },
    // The projects that lost a data element must answer, whoever negotiates.
    scopeAcknowledgement: {
      NINETY_EIGHT_POTENTIAL: 'PROJECT',
      COMMON_NEED: 'PROJECT',
      MUNICIPALITY_SPECIFIC: 'PROJECT',
    },
    'test.planning': {
      NINETY_EIGHT_POTENTIAL: 'COORDINATORS',
      COMMON_NEED: 'COORDINATORS',
      MUNICIPALITY_SPECIFIC: 'COORDINATORS',
    },
    'test.running': {
      NINETY_EIGHT_POTENTIAL: 'SUPPLIER',
      COMMON_NEED: 'SUPPLIER',
      MUNICIPALITY_SPECIFIC: 'SUPPLIER',
    },
    'test.passed': {
      NINETY_EIGHT_POTENTIAL: 'COORDINATORS',
      COMMON_NEED: 'COORDINATORS',
      MUNICIPALITY_SPECIFIC: 'COORDINATORS',
    },
    onHold: {
      NINETY_EIGHT_POTENTIAL: 'COORDINATORS',
      COMMON_NEED: 'COORDINATORS',
      MUNICIPALITY_SPECIFIC: 'COORDINATORS',
    },
    live: { NINETY_EIGHT_POTENTIAL: 'NOBODY', COMMON_NEED: 'NOBODY', MUNICIPALITY_SPECIFIC: 'NOBODY' },
    cancelled: { NINETY_EIGHT_POTENTIAL: 'NOBODY', COMMON_NEED: 'NOBODY', MUNICIPALITY_SPECIFIC: 'NOBODY' },
  };

  const CATEGORIES: readonly OrderCategory[] = [
    'NINETY_EIGHT_POTENTIAL',
    'COMMON_NEED',
    'MUNICIPALITY_SPECIFIC',
  ];
  const cases = ROUTED_STATES.flatMap((state) =>
    CATEGORIES.map((category) => ({ state, category, party: BALL_BY_CATEGORY[state][category] })),
  );

  it.each(cases)('$state, $category: $party', ({ state, category, party }) => {
    expect(ballInCourt(orderInCategory(state, category))).toBe(party);
  });

  it.each([
    ['SUPPLIER', 'SUPPLIER'],
    ['KOMBIT', 'COORDINATORS'],
    ['PROJECT', 'PROJECT'],
  ] as const)(
    'a running test with %s responsible puts the ball with %s',
    (responsible: TestResponsible, party) => {
      const running = drive([
        'CONSOLIDATE',
        'START_PLAN_B',
        samplePayload('PLAN_TEST', { plan: { ...TEST_PLAN, responsible } }),
        'START_TEST',
      ]);
      expect(ballInCourt(running)).toBe(party);
    },
  );

  it('follows the order back when it resumes from hold', () => {
    const held = drive(['PUT_ON_HOLD'], orderIn('negotiation.awaitingSupplier'));
    expect(ballInCourt(held)).toBe('COORDINATORS');
    expect(ballInCourt(drive(['RESUME'], held))).toBe('SUPPLIER');
  });
});
