import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { InterfaceOrderModel } from '../orders/order.models.js';

@ObjectType('BulkOrderOutcome', { description: 'What one order of a bulk action came to.' })
export class BulkOrderOutcomeModel {
  @Field(() => ID, { description: 'The order id as given (or found, for bulkSendToSupplier).' })
  orderId: string;

  @Field({ description: 'Whether the action was applied to this order (its own transaction, committed).' })
  ok: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'Why not, as the single mutation would have answered: NOT_FOUND, BAD_USER_INPUT, INVALID_TRANSITION, CONFLICT, UNSUPPORTED_MACHINE_VERSION, FORBIDDEN; INTERNAL_SERVER_ERROR for an unexpected failure (logged). Null when ok.',
  })
  errorCode: string | null;

  @Field(() => String, { nullable: true, description: 'The error message; null when ok.' })
  message: string | null;

  @Field(() => InterfaceOrderModel, {
    nullable: true,
    description: 'The order after the action; null when not ok.',
  })
  order: InterfaceOrderModel | null;
}

@ObjectType('BulkResult', {
  description:
    'A bulk action: every order moved through its own machine, transaction and history; one failing order does not stop the rest.',
})
export class BulkResultModel {
  @Field(() => [BulkOrderOutcomeModel], { description: 'One per order, in the order processed.' })
  outcomes: BulkOrderOutcomeModel[];

  @Field({
    description:
      'True when the action was applied to every order; false when at least one failed (see outcomes) or none was found.',
  })
  applied: boolean;

  @Field(() => Int)
  succeeded: number;

  @Field(() => Int)
  failed: number;
}
