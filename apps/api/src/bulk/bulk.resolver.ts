import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { AuthenticatedUser } from '@snitflow/auth';
import { CurrentUser, Roles } from '../auth/current-user.js';
import { BulkExtendDeadlinesArgs, BulkOrdersArgs, BulkReasonedArgs, BulkSendArgs } from './bulk.inputs.js';
import { BulkResultModel } from './bulk.models.js';
import { BulkService } from './bulk.service.js';

/** Bulk actions for coordinators: each order still moves through its own machine and transaction. */
@Resolver()
export class BulkResolver {
  constructor(private readonly bulk: BulkService) {}

  @Roles('coordinator', 'admin')
  @Mutation(() => BulkResultModel, {
    description:
      'Sends every consolidated order of one source supplier; each recipient gets one email listing them, with a reply link per order.',
  })
  bulkSendToSupplier(@CurrentUser() user: AuthenticatedUser, @Args() args: BulkSendArgs) {
    return this.bulk.sendToSupplier(user, args);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => BulkResultModel, { description: "Moves each order's current deadline, as extendDeadline." })
  bulkExtendDeadlines(@CurrentUser() user: AuthenticatedUser, @Args() args: BulkExtendDeadlinesArgs) {
    return this.bulk.extendDeadlines(user, args);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => BulkResultModel, { description: 'Puts each order on hold, as putOnHold.' })
  bulkPutOnHold(@CurrentUser() user: AuthenticatedUser, @Args() args: BulkReasonedArgs) {
    return this.bulk.putOnHold(user, args);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => BulkResultModel, { description: 'Resumes each order where it was, as resumeOrder.' })
  bulkResumeOrders(@CurrentUser() user: AuthenticatedUser, @Args() args: BulkOrdersArgs) {
    return this.bulk.resume(user, args);
  }
}
