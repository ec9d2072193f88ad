import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalogue a coordinator can keep (issue 9, item 9): supplier contacts are removed softly
 * (`removed_at`), because reply links and history refer to them, and an email may be added again
 * once its contact is removed; every change to contacts, data elements and the imported list is
 * audited in `catalogue_event`, in the transaction of the change.
 */
export class CatalogueKeeping1765200000000 implements MigrationInterface {
  name = 'CatalogueKeeping1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE supplier_contact ADD COLUMN removed_at timestamptz;
      ALTER TABLE supplier_contact DROP CONSTRAINT supplier_contact_supplier_id_email_key;
      CREATE UNIQUE INDEX supplier_contact_current_email ON supplier_contact (supplier_id, email)
        WHERE removed_at IS NULL;

      CREATE TABLE catalogue_event (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN (
          'SUPPLIER_CONTACT_ADDED', 'SUPPLIER_CONTACT_CHANGED', 'SUPPLIER_CONTACT_REMOVED',
          'DATA_ELEMENT_ADDED', 'DATA_ELEMENT_CHANGED', 'DATA_ELEMENT_REMOVED',
          'INTERFACE_MATRIX_IMPORTED')),
        supplier_id uuid REFERENCES source_supplier (id),
        interface_id uuid REFERENCES interface (id),
        -- What was changed, in words a coordinator recognises: an email, 'SF1320 CPR.NAVN'.
        subject text NOT NULL,
        before jsonb,
        after jsonb,
        actor_id text NOT NULL,
        actor_role text NOT NULL,
        actor_name text,
        occurred_at timestamptz NOT NULL
      );
      CREATE INDEX catalogue_event_recent ON catalogue_event (occurred_at DESC, id DESC);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE catalogue_event;
      DELETE FROM supplier_contact WHERE removed_at IS NOT NULL;
      DROP INDEX supplier_contact_current_email;
      ALTER TABLE supplier_contact ADD CONSTRAINT supplier_contact_supplier_id_email_key UNIQUE (supplier_id, email);
      ALTER TABLE supplier_contact DROP COLUMN removed_at;
    `);
  }
}
