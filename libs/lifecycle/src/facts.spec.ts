import {
  applyOrderEvent,
  EVENTS_READING_FACTS,
  ORDER_EVENT_TYPES,
  type OrderFacts,
  supplierAddressedBy,
} from '@snitflow/lifecycle';
import {
  APPROVED_FACTS,
  admin,
  coordinator,
  orderEvent,
  orderIn,
  projectA,
  ROUTED_STATES,
  samplePayload,
  supplier,
  system,
} from './testing/order-fixtures.js';

// The write path reads the facts from Postgres only for EVENTS_READING_FACTS.
// That is safe only if every other event decides the same without them.
const NO_FACTS: OrderFacts = { activeRequests: [], supplierContactCount: 0 };
const OTHER_EVENTS = ORDER_EVENT_TYPES.filter((type) => !EVENTS_READING_FACTS.has(type));

describe('events that do not read facts', () => {
  const cases = ROUTED_STATES.flatMap((state) =>
    OTHER_EVENTS.flatMap((type) =>
      [coordinator, admin, projectA, supplier, system].map((actor) => ({ state, type, actor })),
    ),
  );

  it.each(cases)(
    '$type in $state by $actor.role decides the same without facts',
    ({ state, type, actor }) => {
      const withFacts = applyOrderEvent(
        orderIn(state),
        orderEvent(samplePayload(type), { actor, facts: APPROVED_FACTS }),
      );
      const withoutFacts = applyOrderEvent(
        orderIn(state),
        orderEvent(samplePayload(type), { actor, facts: NO_FACTS }),
      );
      expect(withoutFacts.accepted).toBe(withFacts.accepted);
      if (withFacts.accepted && withoutFacts.accepted)
        expect(withoutFacts.snapshot.value).toEqual(withFacts.snapshot.value);
    },
  );

  it('the events that do read facts really depend on them', () => {
    const consolidate = (facts: OrderFacts) =>
      applyOrderEvent(
        orderIn('ordered'),
        orderEvent(samplePayload('CONSOLIDATE'), { actor: coordinator, facts }),
      ).accepted;
    expect([consolidate(APPROVED_FACTS), consolidate(NO_FACTS)]).toEqual([true, false]);
    const send = (facts: OrderFacts) =>
      applyOrderEvent(
        orderIn('consolidated'),
        orderEvent(samplePayload('SEND_TO_SUPPLIER'), { actor: coordinator, facts }),
      ).accepted;
    expect([send(APPROVED_FACTS), send(NO_FACTS)]).toEqual([true, false]);
  });
});

describe('supplierAddressedBy', () => {
  it('names the supplier a SEND_TO_SUPPLIER is sent to, so its contacts are the ones counted', () => {
    expect(supplierAddressedBy(samplePayload('SEND_TO_SUPPLIER', { supplierId: 'supplier-skat' }))).toBe(
      'supplier-skat',
    );
  });

  it("leaves the order's own supplier to the facts when the event names none", () => {
    expect(supplierAddressedBy(samplePayload('SEND_TO_SUPPLIER'))).toBeNull();
    // An amended round names its supplier always: the service resolves it under the order lock.
    expect(ORDER_EVENT_TYPES.filter((type) => supplierAddressedBy(samplePayload(type)) !== null)).toEqual([
      'SEND_AMENDMENT',
    ]);
  });
});
