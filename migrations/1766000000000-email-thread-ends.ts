import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The email sender's claim reads only the two ends of a thread, its root (the first email of an
 * order to one recipient that went out) and the latest one before the email being sent, each
 * ordered by (created_at, id). With id in the index, each is the first entry of an index scan;
 * without it every earlier email of the thread was read and sorted, per email sent (rows written
 * in one statement share created_at).
 */
export class EmailThreadEnds1766000000000 implements MigrationInterface {
  name = 'EmailThreadEnds1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX outbox_email_thread');
    await queryRunner.query(`
      CREATE INDEX outbox_email_thread ON outbox_email (order_id, lower(recipient_email), created_at, id)
        WHERE status IN ('SENT', 'BOUNCED')
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX outbox_email_thread');
    await queryRunner.query(`
      CREATE INDEX outbox_email_thread ON outbox_email (order_id, lower(recipient_email), created_at)
        WHERE status IN ('SENT', 'BOUNCED')
    `);
  }
}
