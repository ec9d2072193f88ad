export { allowedEventTypes, applyOrderEvent, type RefusalKind, type TransitionOutcome } from './apply.js';
export { type OrderMachineDiagramOptions, orderMachineDiagram } from './diagram.js';
export {
  ORDER_MACHINE_VERSION,
  type OrderMachine,
  type OrderSnapshot,
  type OrderStateMeta,
  orderMachine,
} from './order.machine.js';
export type {
  Amendment,
  AmendmentChange,
  Negotiation,
  OrderContext,
  OrderInput,
  OrderSpecification,
  OrderTerms,
  PlanB,
  PlanBKind,
  RequestContent,
  ScopeReduction,
  ScopeResponse,
  ScopeResponseKind,
  SpecificationChange,
  TestMode,
  TestOutcome,
  TestPlan,
  TestResult,
} from './order-context.js';
export { defaultSupplierOf, outstandingScopeResponses, specificationChange } from './order-context.js';
export {
  ORDER_EVENT_TYPES,
  type OrderEvent,
  type OrderEventEnvelope,
  type OrderEventOf,
  type OrderEventPayload,
  type OrderEventPayloads,
  type OrderEventType,
  type OrderFacts,
  type RequestStatus,
  type ReviewDecision,
} from './order-events.js';
export {
  type BallRule,
  type OrderCategory,
  type Party,
  type ResponsibleBody,
  type ResponsibleParties,
  responsibleParties,
  type TestResponsible,
} from './parties.js';
export { EVENTS_READING_FACTS, supplierAddressedBy } from './preconditions.js';
export { type Actor, EVENT_ROLES, type Role } from './roles.js';
export {
  initialOrderSnapshot,
  MachineVersionError,
  persistOrderSnapshot,
  restoreOrderSnapshot,
} from './snapshot.js';
export { ballInCourt, isFinal, statePath } from './snapshot-queries.js';
