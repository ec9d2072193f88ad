import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum SupplierMessageKindEnum {
  REPLY = 'REPLY',
  AUTO_REPLY = 'AUTO_REPLY',
}
registerEnumType(SupplierMessageKindEnum, {
  name: 'SupplierMessageKind',
  description: 'What came back by email.',
  valuesMap: {
    REPLY: { description: "A person's reply: the new text, without the quoted history and the signature." },
    AUTO_REPLY: {
      description:
        'An automatic reply (Auto-Submitted, X-Autoreply, Precedence or an out-of-office subject): never an answer.',
    },
  },
});

export enum SupplierMessageStatusEnum {
  RECORDED = 'RECORDED',
  HELD = 'HELD',
  DISCARDED = 'DISCARDED',
}
registerEnumType(SupplierMessageStatusEnum, {
  name: 'SupplierMessageStatus',
  valuesMap: {
    RECORDED: {
      description:
        'On the order. A reply to the current round moved it (SUPPLIER_WROTE, orderVersion); a late one or an auto-reply moved nothing.',
    },
    HELD: {
      description:
        "From another address than the recipient's: waits for a coordinator (acceptSupplierMessage or discardSupplierMessage).",
    },
    DISCARDED: { description: 'A held message a coordinator threw away.' },
  },
});

@ObjectType('SupplierMessageAttachment', { description: 'A file that came with a supplier message.' })
export class SupplierMessageAttachmentModel {
  @Field(() => ID)
  id: string;

  @Field()
  filename: string;

  @Field()
  contentType: string;

  @Field(() => Int, { description: 'Bytes.' })
  sizeBytes: number;

  @Field({
    description:
      'Where to download it: GET with the same Authorization: Bearer token (coordinators and admins), relative to the API.',
  })
  downloadPath: string;
}

@ObjectType('SupplierMessage', {
  description:
    'A supplier email that came back to the order through its Reply-To address (see the README, supplier dialogue).',
})
export class SupplierMessageModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  orderId: string;

  @Field(() => SupplierMessageKindEnum)
  kind: SupplierMessageKindEnum;

  @Field(() => SupplierMessageStatusEnum)
  status: SupplierMessageStatusEnum;

  @Field({ description: 'Sent to a retired round or an order that moved on: kept and shown, moved nothing.' })
  late: boolean;

  @Field({ description: 'The From address, lower case.' })
  fromAddress: string;

  @Field(() => String, { nullable: true })
  fromName: string | null;

  @Field({ description: 'The contact the answered email was sent to (the reply address is theirs).' })
  recipientEmail: string;

  @Field()
  subject: string;

  @Field({ description: 'The new text, without the quoted history and the signature (may be empty).' })
  text: string;

  @Field(() => String, {
    nullable: true,
    description: 'YYYY-MM-DD: until when an automatic reply says the contact is away, when it says.',
  })
  awayUntil: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'The order version of the SUPPLIER_WROTE event that recorded it in the history, when it moved the order.',
  })
  orderVersion: number | null;

  @Field()
  receivedAt: Date;

  @Field(() => String, { nullable: true, description: 'Who accepted or discarded a held message.' })
  decidedBy: string | null;

  @Field(() => Date, { nullable: true })
  decidedAt: Date | null;

  @Field(() => [SupplierMessageAttachmentModel])
  attachments: SupplierMessageAttachmentModel[];
}
