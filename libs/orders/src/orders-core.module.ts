import { Global, Module } from '@nestjs/common';
import { CLOCK, systemClock } from '@snitflow/common';
import { JobsModule } from '@snitflow/jobs';
import { DeadlinePlanner } from './deadline-planner.js';
import { InboundAddresses } from './inbound-addresses.js';
import { OrderChanges } from './order-changes.js';
import { OrderConsequences } from './order-consequences.js';
import { OrderSummaries } from './order-summary.js';
import { OrderTransitionService } from './order-transition.service.js';
import { Outbox } from './outbox.js';
import { ProjectNotices } from './project-notices.js';
import { ReplyLinks } from './reply-links.js';
import { SupplierInbox } from './supplier-inbox.js';
import { SupplierMessages } from './supplier-messages.js';
import { Transactions } from './transactions.js';

/**
 * The order write path, shared by the API and the worker. Global so the one
 * clock (overridable in tests) is the same everywhere.
 */
@Global()
@Module({
  imports: [JobsModule],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    DeadlinePlanner,
    OrderChanges,
    OrderTransitionService,
    Outbox,
    ReplyLinks,
    SupplierMessages,
    OrderSummaries,
    ProjectNotices,
    Transactions,
    OrderConsequences,
    InboundAddresses,
    SupplierInbox,
  ],
  exports: [
    CLOCK,
    DeadlinePlanner,
    OrderChanges,
    OrderTransitionService,
    Outbox,
    ReplyLinks,
    SupplierMessages,
    OrderSummaries,
    ProjectNotices,
    Transactions,
    InboundAddresses,
    SupplierInbox,
  ],
})
export class OrdersCoreModule {}
