import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A hold keeps the deadline's word: what was in force when the order was put on hold (the state,
 * its due date, the escalation level, the reminder schedule whose done steps count), so the
 * resume can give it back, moved on by the business days the hold lasted.
 *
 * A reminder the worker missed (it was away past several steps) is COLLAPSED into the latest step
 * that applies: not sent, and never will be, because a later reminder went instead.
 */
export class HoldKeepsDeadline1765000000001 implements MigrationInterface {
  name = 'HoldKeepsDeadline1765000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE interface_order
        ADD COLUMN held_at timestamptz,
        ADD COLUMN held_state text,
        ADD COLUMN held_due_at timestamptz,
        ADD COLUMN held_escalation_level integer NOT NULL DEFAULT 0,
        ADD COLUMN held_schedule_version integer;
      ALTER TABLE order_reminder
        DROP CONSTRAINT order_reminder_status_check,
        ADD CONSTRAINT order_reminder_status_check CHECK (status IN ('PENDING', 'DONE', 'CANCELLED', 'COLLAPSED'));
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE order_reminder SET status = 'CANCELLED' WHERE status = 'COLLAPSED';
      ALTER TABLE order_reminder
        DROP CONSTRAINT order_reminder_status_check,
        ADD CONSTRAINT order_reminder_status_check CHECK (status IN ('PENDING', 'DONE', 'CANCELLED'));
      ALTER TABLE interface_order
        DROP COLUMN held_at, DROP COLUMN held_state, DROP COLUMN held_due_at,
        DROP COLUMN held_escalation_level, DROP COLUMN held_schedule_version;
    `);
  }
}
