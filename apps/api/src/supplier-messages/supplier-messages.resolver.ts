import { Args, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { AuthenticatedUser } from '@snitflow/auth';
import { assertUuid } from '@snitflow/common';
import { CurrentUser, Roles } from '../auth/current-user.js';
import { InterfaceOrderModel } from '../orders/order.models.js';
import { SupplierMessageModel } from './supplier-message.models.js';
import { SupplierMessagesService } from './supplier-messages.service.js';

const COORDINATION = new Set(['coordinator', 'admin']);

/** The supplier's emails on an order, and the coordinators' decisions on held ones. */
@Resolver(() => InterfaceOrderModel)
export class SupplierMessagesResolver {
  constructor(private readonly messages: SupplierMessagesService) {}

  @ResolveField(() => [SupplierMessageModel], {
    description:
      "What the supplier's contacts wrote back by email (replies, late ones, held ones, automatic replies), oldest first. The supplier dialogue is the coordinators' business: empty for a project user.",
  })
  supplierMessages(
    @Parent() order: InterfaceOrderModel,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<SupplierMessageModel[]> | SupplierMessageModel[] {
    if (!COORDINATION.has(user.role)) return [];
    return this.messages.forOrder(order.id);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => SupplierMessageModel, {
    description:
      "Accepts a HELD message (from another address than the recipient's) as the recipient's: it is recorded as if the recipient had sent it — SUPPLIER_WROTE when its round is still the current one, else kept as late. NOT_FOUND for an unknown id; BAD_USER_INPUT (field messageId) when it is not HELD.",
  })
  acceptSupplierMessage(
    @CurrentUser() user: AuthenticatedUser,
    @Args('messageId', { type: () => ID }) messageId: string,
  ): Promise<SupplierMessageModel> {
    return this.messages.accept(assertUuid(messageId, 'messageId'), user.subject);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => SupplierMessageModel, {
    description:
      'Discards a HELD message: it stays listed as DISCARDED and moves nothing. NOT_FOUND for an unknown id; BAD_USER_INPUT (field messageId) when it is not HELD.',
  })
  discardSupplierMessage(
    @CurrentUser() user: AuthenticatedUser,
    @Args('messageId', { type: () => ID }) messageId: string,
  ): Promise<SupplierMessageModel> {
    return this.messages.discard(assertUuid(messageId, 'messageId'), user.subject);
  }
}
