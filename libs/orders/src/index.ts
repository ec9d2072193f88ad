export {
  CONSEQUENCES,
  type Consequence,
  type ConsequenceInput,
  type ConsequenceKind,
  type ConsequenceRule,
  consequencesOf,
} from './consequences.js';
export {
  type DeadlineChange,
  DeadlinePlanner,
  type DueReminder,
  type PlannedReminder,
} from './deadline-planner.js';
export { InboundAddresses } from './inbound-addresses.js';
export {
  LIVE_BATCH_MS,
  type LiveEmitter,
  liveTopics,
  type OrderChangeBatch,
  type OrderChangeMessage,
  OrderChanges,
} from './order-changes.js';
export { type AcceptedTransition, OrderConsequences } from './order-consequences.js';
export {
  FACTS_COLUMNS,
  type FactsColumns,
  factsColumns,
  type LockedOrder,
  ORDER_COLUMNS,
  type OrderRow,
} from './order-row.js';
export { OrderSummaries, type OrderSummaryRow, orderSummarySelect } from './order-summary.js';
export {
  OrderTransitionService,
  type TransitionCommand,
  type TransitionEffect,
  type TransitionResult,
} from './order-transition.service.js';
export { OrdersCoreModule } from './orders-core.module.js';
export { Outbox, type OutboxEmail, type OutboxTemplate } from './outbox.js';
export { type ProjectNoticePlan, projectNoticeFor } from './project-notice-policy.js';
export { ProjectNotices } from './project-notices.js';
export { type ReplyLinkState, ReplyLinks } from './reply-links.js';
export {
  type InboundAttachment,
  type InboundOutcome,
  type ReceivedMessage,
  SupplierInbox,
} from './supplier-inbox.js';
export { BATCH_HOLD_MS, SupplierMessages } from './supplier-messages.js';
export { Transactions } from './transactions.js';
