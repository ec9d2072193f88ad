import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalogue (suppliers, contacts, projects, interfaces, data elements,
 * playbook marks), interface orders with their persisted XState snapshot, the
 * projects' requests, and the append-only order event log.
 *
 * Invariants are held by the database, not only by the code:
 * - one open order per interface (partial unique index on is_open);
 * - the event log is gapless per order: event.version = the order version it
 *   produced, unique per order;
 * - enumerations are CHECK constraints, so a bad write fails loudly.
 */
export class InitialSchema1764100000000 implements MigrationInterface {
  name = 'InitialSchema1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE source_supplier (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE supplier_contact (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        supplier_id uuid NOT NULL REFERENCES source_supplier (id) ON DELETE CASCADE,
        name text NOT NULL,
        email text NOT NULL,
        language text NOT NULL CHECK (language IN ('da', 'en')),
        UNIQUE (supplier_id, email)
      );
      CREATE INDEX supplier_contact_supplier ON supplier_contact (supplier_id);

      CREATE TABLE project (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        name_is_assumed boolean NOT NULL DEFAULT false,
        -- The column header in the playbook's interface list, and its position.
        matrix_column text UNIQUE,
        matrix_position integer UNIQUE CHECK (matrix_position > 0)
      );

      CREATE TABLE interface (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL UNIQUE CHECK (key ~ '^SF[0-9]{4}$'),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
        supplier_id uuid NOT NULL REFERENCES source_supplier (id),
        default_category text NOT NULL DEFAULT 'COMMON_NEED'
          CHECK (default_category IN ('NINETY_EIGHT_POTENTIAL', 'COMMON_NEED', 'MUNICIPALITY_SPECIFIC'))
      );

      CREATE TABLE data_element (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        interface_id uuid NOT NULL REFERENCES interface (id) ON DELETE CASCADE,
        code text NOT NULL,
        name text NOT NULL,
        UNIQUE (interface_id, code)
      );

      CREATE TABLE playbook_mark (
        interface_id uuid NOT NULL REFERENCES interface (id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES project (id) ON DELETE CASCADE,
        mark text NOT NULL CHECK (mark IN ('FIRM', 'TENTATIVE')),
        PRIMARY KEY (interface_id, project_id)
      );

      CREATE SEQUENCE interface_order_reference_seq;
      CREATE TABLE interface_order (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Human reference for emails and phone calls ("B" for bestilling).
        reference text NOT NULL UNIQUE
          DEFAULT ('B-' || lpad(nextval('interface_order_reference_seq')::text, 5, '0')),
        interface_id uuid NOT NULL REFERENCES interface (id),
        supplier_id uuid NOT NULL REFERENCES source_supplier (id),
        state text NOT NULL,
        is_open boolean GENERATED ALWAYS AS (state NOT IN ('live', 'cancelled')) STORED,
        category text CHECK (category IN ('NINETY_EIGHT_POTENTIAL', 'COMMON_NEED', 'MUNICIPALITY_SPECIFIC')),
        ball_in_court text NOT NULL
          CHECK (ball_in_court IN ('SUPPLIER', 'COORDINATORS', 'PROJECT', 'MUNICIPALITY', 'NOBODY')),
        machine_version integer NOT NULL,
        snapshot jsonb NOT NULL,
        version integer NOT NULL DEFAULT 0 CHECK (version >= 0),
        -- Deadline of the current state, when it has one (set by the deadline policies).
        due_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX interface_order_one_open_per_interface ON interface_order (interface_id) WHERE is_open;
      CREATE INDEX interface_order_state ON interface_order (state);
      CREATE INDEX interface_order_created ON interface_order (created_at, id);

      CREATE TABLE interface_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES interface_order (id),
        interface_id uuid NOT NULL REFERENCES interface (id),
        project_id uuid NOT NULL REFERENCES project (id),
        status text NOT NULL
          CHECK (status IN ('SUBMITTED', 'CHANGES_REQUESTED', 'APPROVED', 'REJECTED', 'WITHDRAWN')),
        data_elements text[] NOT NULL CHECK (cardinality(data_elements) > 0),
        unoffered_data_elements text[] NOT NULL DEFAULT '{}',
        need_by date NOT NULL,
        firmness text NOT NULL CHECK (firmness IN ('FIRM', 'TENTATIVE')),
        justification text NOT NULL,
        tender_reference text NOT NULL,
        review_comment text,
        reviewed_by text,
        reviewed_at timestamptz,
        submitted_by text NOT NULL,
        version integer NOT NULL DEFAULT 1 CHECK (version > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX interface_request_order ON interface_request (order_id);
      CREATE INDEX interface_request_project ON interface_request (project_id);

      CREATE TABLE order_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES interface_order (id),
        -- The order version this event produced: 1, 2, 3 … with no gaps.
        version integer NOT NULL CHECK (version > 0),
        type text NOT NULL,
        actor_id text NOT NULL,
        actor_role text NOT NULL,
        actor_name text,
        from_state text NOT NULL,
        to_state text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (order_id, version)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE order_event;
      DROP TABLE interface_request;
      DROP TABLE interface_order;
      DROP SEQUENCE interface_order_reference_seq;
      DROP TABLE playbook_mark;
      DROP TABLE data_element;
      DROP TABLE interface;
      DROP TABLE project;
      DROP TABLE supplier_contact;
      DROP TABLE source_supplier;
    `);
  }
}
