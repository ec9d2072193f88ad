/** Who can hold the ball on an order: the one who must act next. */
export type Party = 'SUPPLIER' | 'COORDINATORS' | 'PROJECT' | 'MUNICIPALITY' | 'NOBODY';

export type OrderCategory = 'NINETY_EIGHT_POTENTIAL' | 'COMMON_NEED' | 'MUNICIPALITY_SPECIFIC';

/** A body that negotiates, buys or pays for an interface. */
export type ResponsibleBody = 'KOMBIT' | 'MUNICIPALITIES' | 'MUNICIPALITY';

export interface ResponsibleParties {
  negotiates: ResponsibleBody;
  buys: ResponsibleBody;
  pays: ResponsibleBody;
}

// The deck's backup slide, row by row: the category alone settles "who must do what".
const RESPONSIBLE_PARTIES: Readonly<Record<OrderCategory, Readonly<ResponsibleParties>>> = {
  NINETY_EIGHT_POTENTIAL: { negotiates: 'KOMBIT', buys: 'KOMBIT', pays: 'KOMBIT' },
  COMMON_NEED: { negotiates: 'KOMBIT', buys: 'MUNICIPALITIES', pays: 'MUNICIPALITIES' },
  MUNICIPALITY_SPECIFIC: { negotiates: 'MUNICIPALITY', buys: 'MUNICIPALITY', pays: 'MUNICIPALITY' },
};

export function responsibleParties(category: OrderCategory): ResponsibleParties {
  return { ...RESPONSIBLE_PARTIES[category] };
}

// KOMBIT acts through the programme's coordinators.
const PARTY_ACTING_FOR: Readonly<Record<ResponsibleBody, Party>> = {
  KOMBIT: 'COORDINATORS',
  MUNICIPALITIES: 'MUNICIPALITY',
  MUNICIPALITY: 'MUNICIPALITY',
};

/**
 * Who holds the ball in a state, as written in the state's `meta`. Two states
 * cannot name a fixed party: whoever negotiates depends on the order's
 * category, and whoever runs the test depends on the test plan.
 */
export type BallRule = Party | 'NEGOTIATING_PARTY' | 'TEST_RESPONSIBLE';

export type TestResponsible = 'SUPPLIER' | 'KOMBIT' | 'PROJECT';

const PARTY_RUNNING_TEST: Readonly<Record<TestResponsible, Party>> = {
  SUPPLIER: 'SUPPLIER',
  KOMBIT: 'COORDINATORS',
  PROJECT: 'PROJECT',
};

/** The facts a ball rule depends on. */
export interface BallFacts {
  category: OrderCategory | null;
  testResponsible: TestResponsible | null;
}

export function partyForBallRule(rule: BallRule, facts: BallFacts): Party {
  switch (rule) {
    case 'NEGOTIATING_PARTY':
      // Before consolidation names a category the coordinators are the only ones who can act.
      return facts.category
        ? PARTY_ACTING_FOR[responsibleParties(facts.category).negotiates]
        : 'COORDINATORS';
    case 'TEST_RESPONSIBLE':
      return facts.testResponsible ? PARTY_RUNNING_TEST[facts.testResponsible] : 'COORDINATORS';
    default:
      return rule;
  }
}
