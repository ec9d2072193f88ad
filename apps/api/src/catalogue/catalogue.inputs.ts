import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEmail, IsEnum, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ContactLanguageEnum } from '../graphql/enums.js';

@InputType({
  description:
    "A project's mailbox for notices (request reviewed, supplier agreed, plan B, test planned, live, cancelled). Replaces the current one.",
})
export class SetProjectContactInput {
  @Field(() => ID)
  @IsUUID('all')
  projectId: string;

  @Field(() => String, {
    nullable: true,
    description: 'Where notices go; null: the project gets none (it still sees everything over GraphQL).',
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contactEmail?: string | null;

  @Field(() => String, { nullable: true, description: 'Who reads it, e.g. "KY projektledelse".' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  contactName?: string | null;

  @Field(() => ContactLanguageEnum, { defaultValue: ContactLanguageEnum.da })
  @IsEnum(ContactLanguageEnum)
  contactLanguage: ContactLanguageEnum;
}
