import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reply links for suppliers, who have no account. Only a hash of each
 * token is stored; the token itself is derived from the link id with a
 * server secret when the email is written, so neither the database nor the
 * outbox holds a usable link. A link answers once, for one recipient, for
 * the round it was issued in, until it expires.
 */
export class ReplyLinks1764300000000 implements MigrationInterface {
  name = 'ReplyLinks1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reply_link (
        id uuid PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        order_id uuid NOT NULL REFERENCES interface_order (id),
        contact_id uuid NOT NULL REFERENCES supplier_contact (id),
        -- The order version the link was issued at: the round the supplier is asked to answer.
        issued_at_version integer NOT NULL,
        expires_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'USED', 'RETIRED')),
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX reply_link_active_by_order ON reply_link (order_id) WHERE status = 'ACTIVE';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE reply_link');
  }
}
