import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The email sender claims a row with a lease instead of holding its lock across the SMTP
 * conversation: `claimed_until` is set in a short transaction before the send and cleared when
 * the row is marked (SENT, or the failed attempt counted). A row still PENDING with a lapsed
 * lease was being sent by a run that died: it is sent again, with the same Message-ID.
 */
export class EmailLease1765000000000 implements MigrationInterface {
  name = 'EmailLease1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE outbox_email ADD COLUMN claimed_until timestamptz');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE outbox_email DROP COLUMN claimed_until');
  }
}
