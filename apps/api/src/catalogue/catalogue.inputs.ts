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

@InputType({ description: 'A new person at a source supplier who receives its order emails.' })
export class AddSupplierContactInput {
  @Field(() => ID)
  @IsUUID('all')
  supplierId: string;

  @Field({ description: 'Shown in the emails ("Kære …"); trimmed, 1–200 characters.' })
  @IsString()
  @MaxLength(200)
  name: string;

  @Field({ description: 'Stored lower-cased; one current contact per address and supplier.' })
  @IsString()
  @MaxLength(254)
  email: string;

  @Field(() => ContactLanguageEnum, { defaultValue: ContactLanguageEnum.da })
  @IsEnum(ContactLanguageEnum)
  language: ContactLanguageEnum;
}

@InputType({ description: 'Changes to a supplier contact; fields left out (or null) stay as they are.' })
export class UpdateSupplierContactInput {
  @Field(() => ID)
  @IsUUID('all')
  contactId: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  email?: string | null;

  @Field(() => ContactLanguageEnum, { nullable: true })
  @IsOptional()
  @IsEnum(ContactLanguageEnum)
  language?: ContactLanguageEnum | null;
}

@InputType({ description: 'A data element an interface offers, e.g. CPR.NAVN "Navn" on SF1320.' })
export class DataElementInput {
  @Field({ description: 'SF + 4 digits.' })
  @IsString()
  @MaxLength(16)
  interfaceKey: string;

  @Field({
    description: 'Upper-case dotted code, e.g. CPR.NAVN; never changes once added (requests refer to it).',
  })
  @IsString()
  @MaxLength(64)
  code: string;

  @Field({ description: 'Trimmed, 1–200 characters.' })
  @IsString()
  @MaxLength(200)
  name: string;
}
