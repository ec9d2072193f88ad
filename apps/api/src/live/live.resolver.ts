import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import type { AuthenticatedUser } from '@snitflow/auth';
import { CurrentUser } from '../auth/current-user.js';
import { InterfaceOrderModel } from '../orders/order.models.js';
import { LiveService, type SubscriptionContext } from './live.service.js';

/**
 * GraphQL subscriptions over graphql-ws on /graphql. The token goes in the
 * connection_init payload (`{ authorization: "Bearer <token>" }`); the global
 * guard then authorises each subscription like a query.
 */
@Resolver()
export class LiveResolver {
  constructor(private readonly live: LiveService) {}

  @Subscription(() => InterfaceOrderModel, {
    description:
      'An order you may see changed (a committed transition, made through any API or worker process). With orderId: that order only (NOT_FOUND if you may not see it). Delivers the order as it is after the change; changes made while you were not connected are not replayed (query again after reconnecting).',
  })
  orderChanged(
    @CurrentUser() user: AuthenticatedUser,
    @Context() context: SubscriptionContext,
    @Args('orderId', { type: () => ID, nullable: true }) orderId?: string,
  ) {
    return this.live.orderChanges(context, user, orderId ?? null);
  }

  @Subscription(() => InterfaceOrderModel, {
    description:
      'An order you may see entered, moved in or left the overdue queue (a reminder, an escalation, a new deadline, a transition of an overdue order). Delivers that order; query overdueQueue again for the new page.',
  })
  overdueQueueChanged(@CurrentUser() user: AuthenticatedUser, @Context() context: SubscriptionContext) {
    return this.live.overdueQueueChanges(context, user);
  }
}
