import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum OutboxEmailStatusEnum {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
  SUPERSEDED = 'SUPERSEDED',
  BOUNCED = 'BOUNCED',
}
registerEnumType(OutboxEmailStatusEnum, {
  name: 'OutboxEmailStatus',
  description: 'Where an outgoing email is.',
  valuesMap: {
    PENDING: { description: 'Waiting to be sent (held until office hours, or between retries).' },
    SENT: { description: 'Accepted by the mail server (or written as a file without SMTP_URL).' },
    FAILED: { description: 'Every attempt failed, or it can never be sent as it is; see lastError.' },
    SUPERSEDED: {
      description:
        'Not sent, and never will be: a supplier email whose reply link could no longer answer when it was due (a newer round, an answer, expiry, the order moved on); see lastError. Not listed by failedEmails; retryEmail refuses it.',
    },
    BOUNCED: {
      description:
        "Sent, then a delivery-status notification said the address does not work (matched by the email's VERP return path or Message-ID); the reason is in lastError. Listed by bouncedEmails; reminders to that address stop until the contact's address is changed.",
    },
  },
});

@ObjectType('OutboxEmail', {
  description:
    'An email snitflow sends: written with the event that causes it, sent by the worker with retries.',
})
export class OutboxEmailModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true, description: 'The order the email is about.' })
  orderId: string | null;

  @Field({ description: 'e.g. SUPPLIER_ORDER, COORDINATOR_REMINDER.' })
  template: string;

  @Field()
  recipientEmail: string;

  @Field(() => OutboxEmailStatusEnum)
  status: OutboxEmailStatusEnum;

  @Field(() => Int, { description: 'Attempts to send it so far (reset by retryEmail).' })
  attempts: number;

  @Field(() => String, {
    nullable: true,
    description: 'Why the last attempt failed, why a SUPERSEDED email was not sent, or why it BOUNCED.',
  })
  lastError: string | null;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  sentAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the bounce came back (BOUNCED).' })
  bouncedAt: Date | null;
}
