import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Suppliers may answer by email (issue 11):
 * - reply_link.reply_address_hash: the SHA-256 of the token in the link's own Reply-To
 *   address (r-<token>@INBOUND_EMAIL_DOMAIN); like token_hash, the usable token is never stored.
 * - supplier_message: what came back — a reply (new text without the quoted history), or an
 *   automatic reply — with its order, link, contact and what became of it; its attachments
 *   in supplier_message_attachment.
 * - outbox_email BOUNCED: a delivery-status notification said the address does not work;
 *   bounced_at and the reason (in last_error) with it.
 * - supplier_contact.bounced_email: the address that bounced. The contact counts as bounced
 *   while it still has that address, so changing the contact's email ends it by itself.
 */
export class InboundEmail1765400000000 implements MigrationInterface {
  name = 'InboundEmail1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE reply_link ADD COLUMN reply_address_hash text UNIQUE;

      ALTER TABLE outbox_email
        DROP CONSTRAINT outbox_email_status_check,
        ADD CONSTRAINT outbox_email_status_check
          CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'SUPERSEDED', 'BOUNCED')),
        ADD COLUMN bounced_at timestamptz;
      CREATE INDEX outbox_email_bounced ON outbox_email (bounced_at DESC) WHERE status = 'BOUNCED';

      ALTER TABLE supplier_contact ADD COLUMN bounced_email text, ADD COLUMN bounced_at timestamptz;

      CREATE TABLE supplier_message (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES interface_order (id),
        link_id uuid NOT NULL REFERENCES reply_link (id),
        contact_id uuid NOT NULL REFERENCES supplier_contact (id),
        kind text NOT NULL CHECK (kind IN ('REPLY', 'AUTO_REPLY')),
        -- RECORDED: on the order (a reply in the current round moved it; a late one or an
        -- auto-reply moved nothing). HELD: from another address than the recipient's, waiting
        -- for a coordinator. DISCARDED: a held message a coordinator threw away.
        status text NOT NULL CHECK (status IN ('RECORDED', 'HELD', 'DISCARDED')),
        -- To a retired round or an order that moved on: kept and shown, moved nothing.
        late boolean NOT NULL,
        from_address text NOT NULL,
        from_name text,
        subject text NOT NULL,
        -- The new text, without the quoted history and the signature.
        body text NOT NULL,
        -- The Message-ID header of the supplier's email, when it had one.
        message_id_header text,
        -- An auto-reply that says until when the contact is away (YYYY-MM-DD).
        away_until date,
        -- The order version whose history event (SUPPLIER_WROTE) records it, when it moved the order.
        order_version integer,
        received_at timestamptz NOT NULL,
        -- The order of arrival, also between messages received in the same instant.
        arrival bigint GENERATED ALWAYS AS IDENTITY,
        decided_by text,
        decided_at timestamptz
      );
      CREATE INDEX supplier_message_by_order ON supplier_message (order_id, arrival);
      -- The same email delivered twice (a sender that missed our 250) is recorded once.
      CREATE UNIQUE INDEX supplier_message_once ON supplier_message (link_id, message_id_header);

      CREATE TABLE supplier_message_attachment (
        id uuid PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES supplier_message (id) ON DELETE CASCADE,
        filename text NOT NULL,
        content_type text NOT NULL,
        size_bytes integer NOT NULL,
        content bytea NOT NULL
      );
      CREATE INDEX supplier_message_attachment_by_message ON supplier_message_attachment (message_id);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE supplier_message_attachment;
      DROP TABLE supplier_message;
      ALTER TABLE supplier_contact DROP COLUMN bounced_email, DROP COLUMN bounced_at;
      DROP INDEX outbox_email_bounced;
      -- Before this migration a bounced email was simply SENT (the server had accepted it).
      UPDATE outbox_email SET status = 'SENT' WHERE status = 'BOUNCED';
      ALTER TABLE outbox_email
        DROP COLUMN bounced_at,
        DROP CONSTRAINT outbox_email_status_check,
        ADD CONSTRAINT outbox_email_status_check
          CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'SUPERSEDED'));
      ALTER TABLE reply_link DROP COLUMN reply_address_hash;
    `);
  }
}
