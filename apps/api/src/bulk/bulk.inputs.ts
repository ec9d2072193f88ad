import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsoDateScalar } from '../graphql/scalars.js';

const MAX_TEXT = 4000;
/** Enough for a programme's orders of one kind; keeps one request's work bounded. */
export const MAX_BULK_ORDERS = 100;

@ArgsType()
export class BulkOrdersArgs {
  @Field(() => [ID], {
    description: `The orders to act on (1–${MAX_BULK_ORDERS} UUIDs; a malformed one refuses the whole call with BAD_USER_INPUT). Each is then checked on its own: an order that does not exist or cannot take the action fails only itself.`,
  })
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_BULK_ORDERS)
  @IsUUID('all', { each: true, message: 'each order id must be a UUID' })
  orderIds: string[];
}

@ArgsType()
export class BulkReasonedArgs extends BulkOrdersArgs {
  @Field({ description: "Why; kept in each order's history." })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  reason: string;
}

@ArgsType()
export class BulkExtendDeadlinesArgs extends BulkReasonedArgs {
  @Field(() => IsoDateScalar, {
    description: 'The new deadline of each: the end of office hours on this date.',
  })
  @IsString()
  dueDate: string;
}

@InputType()
export class BulkSendInput {
  @Field(() => IsoDateScalar, {
    nullable: true,
    description: 'The date the supplier must answer by, for every order.',
  })
  @IsOptional()
  replyBy?: string;
}

@ArgsType()
export class BulkSendArgs {
  @Field(() => ID, { description: 'The source supplier whose consolidated orders are sent.' })
  @IsUUID('all')
  supplierId: string;

  @Field(() => BulkSendInput, { nullable: true })
  @IsOptional()
  input?: BulkSendInput;
}
