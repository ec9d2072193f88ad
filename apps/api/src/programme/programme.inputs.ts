import { ArgsType, Field } from '@nestjs/graphql';
import { IsOptional, IsString } from 'class-validator';
import { IsoDateScalar } from '../graphql/scalars.js';

@ArgsType()
export class StatusReportArgs {
  @Field(() => IsoDateScalar, {
    nullable: true,
    description: 'First day of the period (Copenhagen), inclusive; default: 28 days before until.',
  })
  @IsOptional()
  @IsString()
  since?: string | null;

  @Field(() => IsoDateScalar, {
    nullable: true,
    description: 'Last day of the period, inclusive; default: today.',
  })
  @IsOptional()
  @IsString()
  until?: string | null;
}
