import { InitialSchema1764100000000 } from './1764100000000-initial-schema.js';
import { DeadlinesRemindersOutbox1764200000000 } from './1764200000000-deadlines-reminders-outbox.js';
import { ReplyLinks1764300000000 } from './1764300000000-reply-links.js';
import { OrderReferenceBeyond999991764400000000 } from './1764400000000-order-reference-beyond-99999.js';
import { ProjectContacts1764500000000 } from './1764500000000-project-contacts.js';
import { OutboxSuperseded1764600000000 } from './1764600000000-outbox-superseded.js';
import { EmailLease1765000000000 } from './1765000000000-email-lease.js';
import { HoldKeepsDeadline1765000000001 } from './1765000000001-hold-keeps-deadline.js';
import { CatalogueKeeping1765200000000 } from './1765200000000-catalogue-keeping.js';
import { Settlement1765300000000 } from './1765300000000-settlement.js';
import { InboundEmail1765400000000 } from './1765400000000-inbound-email.js';
import { EmailThreads1765900000000 } from './1765900000000-email-threads.js';
import { EmailThreadEnds1766000000000 } from './1766000000000-email-thread-ends.js';

/**
 * Every migration, oldest first. Listed explicitly (not globbed) so the same
 * list works from TypeScript under jest and from the built JavaScript.
 */
export const MIGRATIONS = [
  InitialSchema1764100000000,
  DeadlinesRemindersOutbox1764200000000,
  ReplyLinks1764300000000,
  OrderReferenceBeyond999991764400000000,
  ProjectContacts1764500000000,
  OutboxSuperseded1764600000000,
  EmailLease1765000000000,
  HoldKeepsDeadline1765000000001,
  CatalogueKeeping1765200000000,
  Settlement1765300000000,
  InboundEmail1765400000000,
  EmailThreads1765900000000,
  EmailThreadEnds1766000000000,
];
