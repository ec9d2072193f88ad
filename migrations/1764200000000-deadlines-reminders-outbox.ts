import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadlines and reminders, with Postgres as their source of truth: the order
 * keeps its deadline and which reminder schedule is current; every planned
 * reminder is a row. BullMQ only holds wake-ups for these rows and can be
 * rebuilt from them. Outgoing email is an outbox row written in the same
 * transaction as the event that causes it.
 */
export class DeadlinesRemindersOutbox1764200000000 implements MigrationInterface {
  name = 'DeadlinesRemindersOutbox1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE interface_order
        ADD COLUMN state_entered_at timestamptz NOT NULL DEFAULT now(),
        -- The order version whose reminder schedule is current; reminders of any other are void.
        ADD COLUMN schedule_version integer,
        ADD COLUMN escalation_level integer NOT NULL DEFAULT 0 CHECK (escalation_level >= 0),
        ADD COLUMN escalated_at timestamptz;

      -- The overdue queue: escalated first, then most overdue, on open orders with a deadline.
      CREATE INDEX interface_order_overdue
        ON interface_order (escalation_level DESC, due_at ASC, id ASC)
        WHERE due_at IS NOT NULL AND is_open;

      CREATE TABLE order_reminder (
        order_id uuid NOT NULL REFERENCES interface_order (id),
        schedule_version integer NOT NULL,
        step integer NOT NULL CHECK (step > 0),
        kind text NOT NULL CHECK (kind IN ('BEFORE_DUE', 'ON_DUE', 'OVERDUE', 'ESCALATION')),
        recipient text NOT NULL CHECK (recipient IN ('SUPPLIER', 'COORDINATORS', 'PROJECT')),
        send_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DONE', 'CANCELLED')),
        done_at timestamptz,
        PRIMARY KEY (order_id, schedule_version, step)
      );
      CREATE INDEX order_reminder_pending ON order_reminder (send_at) WHERE status = 'PENDING';

      CREATE TABLE outbox_email (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid REFERENCES interface_order (id),
        template text NOT NULL,
        language text NOT NULL CHECK (language IN ('da', 'en')),
        recipient_email text NOT NULL,
        recipient_name text,
        data jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
        -- Suppliers get mail in office hours only: not sent before this instant.
        not_before timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        -- Stable per row, so a receiver can drop a duplicate if a worker dies between send and mark.
        message_id text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      CREATE INDEX outbox_email_pending ON outbox_email (not_before) WHERE status = 'PENDING';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE outbox_email;
      DROP TABLE order_reminder;
      DROP INDEX interface_order_overdue;
      ALTER TABLE interface_order
        DROP COLUMN escalated_at, DROP COLUMN escalation_level, DROP COLUMN schedule_version,
        DROP COLUMN state_entered_at;
    `);
  }
}
