import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A supplier email held for office hours whose reply link died before it
 * was due (a newer round retired it, it was used, it expired, the order moved
 * on) is not sent: its row ends SUPERSEDED, with the reason in last_error.
 * A status of its own, so coordinators' failedEmails does not list it and
 * retryEmail cannot send a dead link.
 */
export class OutboxSuperseded1764600000000 implements MigrationInterface {
  name = 'OutboxSuperseded1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE outbox_email
        DROP CONSTRAINT outbox_email_status_check,
        ADD CONSTRAINT outbox_email_status_check
          CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'SUPERSEDED'));
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Before this migration an email that was never sent and never will be is FAILED; last_error keeps why.
    await queryRunner.query(`
      UPDATE outbox_email SET status = 'FAILED' WHERE status = 'SUPERSEDED';
      ALTER TABLE outbox_email
        DROP CONSTRAINT outbox_email_status_check,
        ADD CONSTRAINT outbox_email_status_check CHECK (status IN ('PENDING', 'SENT', 'FAILED'));
    `);
  }
}
