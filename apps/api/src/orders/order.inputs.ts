import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { DATA_ELEMENT_CODE_PATTERN } from '@snitflow/catalogue';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { OrderCategoryEnum, PartyEnum } from '../graphql/enums.js';
import { IsMoneyOere } from '../graphql/input-validation.js';
import { BigIntScalar, IsoDateScalar } from '../graphql/scalars.js';
import {
  PlanBKindEnum,
  ScopeResponseKindEnum,
  TestModeEnum,
  TestOutcomeEnum,
  TestResponsibleEnum,
} from './order.models.js';

const MAX_TEXT = 4000;

@InputType()
export class TermsInput {
  @Field(() => BigIntScalar, {
    nullable: true,
    description: 'Price in whole øre, 0 to 10000000000000 (100 billion kroner).',
  })
  @IsOptional()
  @IsMoneyOere()
  priceOere?: string;

  @Field(() => IsoDateScalar, { nullable: true })
  @IsOptional()
  deliveryDate?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  conditions?: string;
}

@InputType()
export class SendToSupplierInput {
  @Field(() => [ID], {
    nullable: true,
    description: "Recipients among the supplier's contacts; default all.",
  })
  @IsOptional()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  recipientContactIds?: string[];

  @Field(() => IsoDateScalar, { nullable: true, description: 'The date the supplier must answer by.' })
  @IsOptional()
  replyBy?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Another supplier (after plan B); default the current one.',
  })
  @IsOptional()
  @IsUUID('all')
  supplierId?: string;
}

export enum SupplierResponseKindEnum {
  ACCEPT = 'ACCEPT',
  PROPOSE = 'PROPOSE',
  ASK = 'ASK',
  DECLINE = 'DECLINE',
}
registerEnumType(SupplierResponseKindEnum, { name: 'SupplierResponseKind' });

@InputType({ description: "The supplier's answer, recorded by a coordinator (e.g. after a phone call)." })
export class SupplierResponseInput {
  @Field(() => SupplierResponseKindEnum)
  @IsEnum(SupplierResponseKindEnum)
  kind: SupplierResponseKindEnum;

  @Field(() => TermsInput, { nullable: true, description: 'For PROPOSE.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TermsInput)
  terms?: TermsInput;

  @Field({ nullable: true, description: 'For ASK.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  question?: string;

  @Field({ nullable: true, description: 'For DECLINE.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  reason?: string;

  @Field({ nullable: true, description: 'For ACCEPT, or how the answer came in.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  note?: string;
}

@InputType()
export class AnswerSupplierInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  answer: string;
}

@InputType()
export class CounterProposalInput {
  @Field(() => TermsInput)
  @ValidateNested()
  @Type(() => TermsInput)
  terms: TermsInput;
}

@InputType()
export class StartPlanBInput {
  @Field(() => PlanBKindEnum)
  @IsEnum(PlanBKindEnum)
  kind: PlanBKindEnum;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  description: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  alternativeSupplierId?: string;

  @Field(() => [String], {
    nullable: true,
    description:
      "REDUCED_SCOPE only, and required there: the data element codes dropped from the order's specification (each in it; at least one must remain). Every project whose active request asked for one must then acknowledge or object before the order goes on.",
  })
  @IsOptional()
  @ArrayNotEmpty()
  @ArrayMaxSize(200)
  @Matches(DATA_ELEMENT_CODE_PATTERN, {
    each: true,
    message: 'each data element must be a code like CPR.NAVN',
  })
  droppedDataElements?: string[];
}

@InputType()
export class RespondToScopeReductionInput {
  @Field(() => ID, { nullable: true, description: "Defaults to the caller's project for project users." })
  @IsOptional()
  @IsUUID('all')
  projectId?: string;

  @Field(() => ScopeResponseKindEnum)
  @IsEnum(ScopeResponseKindEnum)
  response: ScopeResponseKindEnum;

  @Field({
    nullable: true,
    description: 'Why the project objects (required for OBJECTED); kept in the history.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  comment?: string;
}

@InputType()
export class SendAmendmentInput {
  @Field(() => [ID], {
    nullable: true,
    description: "Recipients among the supplier's contacts; default the last round's recipients.",
  })
  @IsOptional()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  recipientContactIds?: string[];

  @Field(() => IsoDateScalar, { nullable: true, description: 'The date the supplier must answer by.' })
  @IsOptional()
  replyBy?: string;
}

@InputType()
export class TurnDownAmendmentInput {
  @Field(() => ID, { description: 'The request whose pending change is turned down.' })
  @IsUUID('all')
  requestId: string;

  @Field({ description: "Why; emailed to the request's project and kept in the history." })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  comment: string;
}

@InputType()
export class PlanTestInput {
  @Field(() => TestResponsibleEnum)
  @IsEnum(TestResponsibleEnum)
  responsible: TestResponsibleEnum;

  @Field(() => TestModeEnum)
  @IsEnum(TestModeEnum)
  mode: TestModeEnum;

  @Field(() => [ID])
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  participantProjectIds: string[];

  @Field(() => IsoDateScalar)
  @IsString()
  windowStart: string;

  @Field(() => IsoDateScalar)
  @IsString()
  windowEnd: string;
}

@InputType()
export class RecordTestResultInput {
  @Field(() => ID, { nullable: true, description: "Defaults to the caller's project for project users." })
  @IsOptional()
  @IsUUID('all')
  projectId?: string;

  @Field(() => TestOutcomeEnum)
  @IsEnum(TestOutcomeEnum)
  outcome: TestOutcomeEnum;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  notes?: string;
}

@InputType()
export class RequestFixInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  description: string;
}

@InputType()
export class GoLiveInput {
  @Field(() => IsoDateScalar)
  @IsString()
  liveDate: string;
}

@InputType()
export class OrderFilter {
  @Field({
    nullable: true,
    description: 'A state path or a parent of one: "negotiation" matches its sub-states.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  state?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  interfaceKey?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  supplierId?: string;

  @Field(() => ID, { nullable: true, description: 'Orders this project has requested.' })
  @IsOptional()
  @IsUUID('all')
  projectId?: string;

  @Field(() => OrderCategoryEnum, { nullable: true })
  @IsOptional()
  @IsEnum(OrderCategoryEnum)
  category?: OrderCategoryEnum;

  @Field(() => PartyEnum, { nullable: true })
  @IsOptional()
  @IsEnum(PartyEnum)
  ballInCourt?: PartyEnum;

  @Field({ nullable: true, description: 'true: not live or cancelled; false: live or cancelled.' })
  @IsOptional()
  @IsBoolean()
  open?: boolean;
}

@InputType()
export class OverdueFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  supplierId?: string;

  @Field(() => PartyEnum, { nullable: true, description: 'Who holds the ball.' })
  @IsOptional()
  @IsEnum(PartyEnum)
  ballInCourt?: PartyEnum;

  @Field({ nullable: true, description: 'A state path or a parent of one.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  state?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  escalated?: boolean;
}

/** The order id and optional expected version every moving mutation takes. */
@ArgsType()
export class OrderTarget {
  @Field(() => ID)
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId: string;

  @Field(() => Int, {
    nullable: true,
    description: 'The version you saw; CONFLICT if the order has moved on.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedVersion?: number;
}

@ArgsType()
export class ReasonedOrderTarget extends OrderTarget {
  @Field({ description: 'Why; kept in the history.' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  reason: string;
}

@ArgsType()
export class ExtendDeadlineArgs extends ReasonedOrderTarget {
  @Field(() => IsoDateScalar, { description: 'The new deadline: the end of office hours on this date.' })
  @IsString()
  dueDate: string;
}

@ArgsType()
export class ConsolidateArgs extends OrderTarget {
  @Field(() => OrderCategoryEnum, {
    nullable: true,
    description: "Default: the interface's default category.",
  })
  @IsOptional()
  @IsEnum(OrderCategoryEnum)
  category?: OrderCategoryEnum;
}
