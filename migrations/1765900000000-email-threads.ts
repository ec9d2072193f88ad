import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One order, one conversation: every email finds the earlier emails of its order to the same
 * recipient that went out (its thread's root and the email it answers) when it is claimed.
 * Without this index that is a scan of the whole outbox per email sent.
 */
export class EmailThreads1765900000000 implements MigrationInterface {
  name = 'EmailThreads1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX outbox_email_thread ON outbox_email (order_id, lower(recipient_email), created_at)
        WHERE status IN ('SENT', 'BOUNCED')
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX outbox_email_thread');
  }
}
