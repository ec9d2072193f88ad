import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthenticatedUser } from '@snitflow/auth';
import { assertUuid, badInput } from '@snitflow/common';
import { CurrentUser, Roles } from '../auth/current-user.js';
import { MAX_PAGE_SIZE } from '../graphql/query-limits.js';
import { OutboxEmailModel } from './email.models.js';
import { DEFAULT_FAILED_EMAILS, EmailsService } from './emails.service.js';

@Resolver(() => OutboxEmailModel)
export class EmailsResolver {
  constructor(private readonly emails: EmailsService) {}

  @Roles('coordinator', 'admin')
  @Query(() => [OutboxEmailModel], {
    description: 'Emails the worker gave up on (every attempt failed), most recent first.',
  })
  failedEmails(
    @Args('first', {
      type: () => Int,
      nullable: true,
      description: `How many, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_FAILED_EMAILS}).`,
    })
    first?: number | null,
  ): Promise<OutboxEmailModel[]> {
    return this.emails.failed(emailCount(first));
  }

  @Roles('coordinator', 'admin')
  @Query(() => [OutboxEmailModel], {
    description:
      "Beside failedEmails: emails the mail server accepted that then bounced (a delivery-status notification came back; the reason is in lastError), most recent bounce first. Reminders to such an address stop until the contact's address is changed.",
  })
  bouncedEmails(
    @Args('first', {
      type: () => Int,
      nullable: true,
      description: `How many, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_FAILED_EMAILS}).`,
    })
    first?: number | null,
  ): Promise<OutboxEmailModel[]> {
    return this.emails.bounced(emailCount(first));
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => OutboxEmailModel, {
    description:
      'Sends a FAILED email again (attempts start over, same Message-ID). BAD_USER_INPUT for an email that is not FAILED.',
  })
  retryEmail(
    @CurrentUser() user: AuthenticatedUser,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<OutboxEmailModel> {
    return this.emails.retry(assertUuid(id, 'id'), user.subject);
  }
}

/**
 * How many emails a list (failedEmails, bouncedEmails) answers: `first`, 1 to MAX_PAGE_SIZE, or
 * DEFAULT_FAILED_EMAILS when not given.
 * @throws BAD_USER_INPUT naming `first`
 */
function emailCount(first: number | null | undefined): number {
  const count = first ?? DEFAULT_FAILED_EMAILS;
  if (!Number.isInteger(count) || count < 1 || count > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, { field: 'first' });
  }
  return count;
}
