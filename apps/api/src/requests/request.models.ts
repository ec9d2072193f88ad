import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DATA_ELEMENT_CODE_PATTERN, INTERFACE_KEY_PATTERN } from '@snitflow/catalogue';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { FirmnessEnum, RequestStatusEnum } from '../graphql/enums.js';
import { IsoDateScalar } from '../graphql/scalars.js';

export const MAX_TEXT = 4000;
export const MAX_DATA_ELEMENTS = 100;

export enum ReviewDecisionEnum {
  APPROVE = 'APPROVE',
  REQUEST_CHANGES = 'REQUEST_CHANGES',
  REJECT = 'REJECT',
}
registerEnumType(ReviewDecisionEnum, { name: 'ReviewDecision' });

@ObjectType('InterfaceRequest', { description: "One project's request for one interface." })
export class InterfaceRequestModel {
  @Field(() => ID)
  id: string;

  orderId: string;
  interfaceId: string;
  projectId: string;

  @Field(() => RequestStatusEnum)
  status: RequestStatusEnum;

  @Field(() => [String], { description: 'Requested data element codes.' })
  dataElements: string[];

  @Field(() => [String], {
    description: 'Requested elements the interface does not offer. Approval is blocked while any remain.',
  })
  unofferedDataElements: string[];

  @Field(() => IsoDateScalar)
  needBy: string;

  @Field(() => FirmnessEnum)
  firmness: FirmnessEnum;

  @Field()
  justification: string;

  @Field({ description: 'Reference to the tender material (the expected level of detail).' })
  tenderReference: string;

  @Field(() => String, { nullable: true })
  reviewComment: string | null;

  @Field(() => Date, { nullable: true })
  reviewedAt: Date | null;

  @Field(() => Int, { description: 'Bumped by every change; pass it back as expectedVersion.' })
  version: number;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@InputType()
export class SubmitRequestInput {
  @Field({ description: 'SF + 4 digits, e.g. SF0800.' })
  @Matches(INTERFACE_KEY_PATTERN, { message: 'interfaceKey must be "SF" followed by 4 digits, e.g. SF0800' })
  interfaceKey: string;

  @Field(() => ID, { nullable: true, description: "Defaults to the caller's project for project users." })
  @IsOptional()
  @IsUUID('all')
  projectId?: string;

  @Field(() => [String])
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_DATA_ELEMENTS)
  @Matches(DATA_ELEMENT_CODE_PATTERN, {
    each: true,
    message: 'each data element must be a code like CPR.NAVN',
  })
  dataElements: string[];

  @Field(() => IsoDateScalar)
  @IsString()
  needBy: string;

  @Field(() => FirmnessEnum, { defaultValue: FirmnessEnum.FIRM })
  @IsEnum(FirmnessEnum)
  firmness: FirmnessEnum;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  justification: string;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  tenderReference: string;
}

@InputType()
export class UpdateRequestInput {
  @Field(() => ID)
  @IsUUID('all')
  requestId: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_DATA_ELEMENTS)
  @Matches(DATA_ELEMENT_CODE_PATTERN, {
    each: true,
    message: 'each data element must be a code like CPR.NAVN',
  })
  dataElements?: string[];

  @Field(() => IsoDateScalar, { nullable: true })
  @IsOptional()
  needBy?: string;

  @Field(() => FirmnessEnum, { nullable: true })
  @IsOptional()
  @IsEnum(FirmnessEnum)
  firmness?: FirmnessEnum;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  justification?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  tenderReference?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'The request version you saw; CONFLICT if it has moved on.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

@InputType()
export class ReviewRequestInput {
  @Field(() => ID)
  @IsUUID('all')
  requestId: string;

  @Field(() => ReviewDecisionEnum)
  @IsEnum(ReviewDecisionEnum)
  decision: ReviewDecisionEnum;

  @Field({ nullable: true, description: 'Required when requesting changes or rejecting.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  comment?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'The request version you reviewed; CONFLICT if it has moved on.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

@ArgsType()
export class WithdrawRequestArgs {
  @Field(() => ID)
  @IsUUID('all')
  requestId: string;

  @Field(() => Int, {
    nullable: true,
    description: 'The request version you saw; CONFLICT if it has moved on.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}
