import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Settlement (issue 10): the figures the bills are computed from, the frozen
 * bills of closed quarters, and the history of every change.
 *
 * Money is integer øre in bigint (exact up to 2^63 − 1; the code computes in
 * BigInt). A closed quarter's lines and totals are copies, not views: a
 * trigger refuses to update or delete them, so no later correction can change
 * a bill already sent. Corrections flow into the next Q1 true-up instead.
 */
export class Settlement1765300000000 implements MigrationInterface {
  name = 'Settlement1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE municipality (
        code text PRIMARY KEY CHECK (code ~ '^[0-9]{3}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100)
      );

      CREATE TABLE municipality_population (
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2999),
        municipality_code text NOT NULL REFERENCES municipality (code),
        inhabitants int NOT NULL CHECK (inhabitants >= 0),
        PRIMARY KEY (year, municipality_code)
      );

      CREATE TABLE data_area (
        code text PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,39}$'),
        name text NOT NULL,
        interface_keys text[] NOT NULL
      );

      CREATE TABLE cost_estimate (
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2999),
        data_area_code text NOT NULL REFERENCES data_area (code),
        fixed_oere bigint NOT NULL CHECK (fixed_oere >= 0),
        variable_oere bigint NOT NULL CHECK (variable_oere >= 0),
        expected_lookups bigint NOT NULL CHECK (expected_lookups >= 0),
        PRIMARY KEY (year, data_area_code)
      );

      CREATE TABLE realised_cost (
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2999),
        data_area_code text NOT NULL REFERENCES data_area (code),
        fixed_oere bigint NOT NULL CHECK (fixed_oere >= 0),
        variable_oere bigint NOT NULL CHECK (variable_oere >= 0),
        PRIMARY KEY (year, data_area_code)
      );

      CREATE TABLE lookup_count (
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2999),
        quarter smallint NOT NULL CHECK (quarter BETWEEN 1 AND 4),
        municipality_code text NOT NULL REFERENCES municipality (code),
        data_area_code text NOT NULL REFERENCES data_area (code),
        lookups bigint NOT NULL CHECK (lookups >= 0),
        PRIMARY KEY (year, quarter, municipality_code, data_area_code)
      );

      CREATE TABLE settlement_quarter (
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2999),
        quarter smallint NOT NULL CHECK (quarter BETWEEN 1 AND 4),
        closed_at timestamptz NOT NULL,
        closed_by text NOT NULL,
        closed_by_role text NOT NULL,
        PRIMARY KEY (year, quarter)
      );

      CREATE TABLE settlement_line (
        year int NOT NULL,
        quarter smallint NOT NULL,
        municipality_code text NOT NULL,
        data_area_code text NOT NULL,
        fixed_oere bigint NOT NULL,
        variable_oere bigint NOT NULL,
        true_up_oere bigint NOT NULL,
        total_oere bigint NOT NULL CHECK (total_oere = fixed_oere + variable_oere + true_up_oere),
        -- The basis, frozen with the bill, so the statement explains what was billed, not today's figures.
        inhabitants bigint NOT NULL,
        lookups bigint NOT NULL,
        true_up_realised_oere bigint,
        true_up_billed_oere bigint,
        true_up_settled_before_oere bigint,
        PRIMARY KEY (year, quarter, municipality_code, data_area_code),
        FOREIGN KEY (year, quarter) REFERENCES settlement_quarter (year, quarter)
      );

      CREATE TABLE settlement_area_total (
        year int NOT NULL,
        quarter smallint NOT NULL,
        data_area_code text NOT NULL,
        fixed_oere bigint NOT NULL,
        variable_oere bigint NOT NULL,
        true_up_oere bigint NOT NULL,
        total_oere bigint NOT NULL,
        yearly_fixed_oere bigint NOT NULL,
        yearly_variable_oere bigint NOT NULL,
        quarter_variable_oere bigint NOT NULL,
        inhabitants bigint NOT NULL,
        lookups bigint NOT NULL,
        variable_deferred boolean NOT NULL,
        PRIMARY KEY (year, quarter, data_area_code),
        FOREIGN KEY (year, quarter) REFERENCES settlement_quarter (year, quarter)
      );

      CREATE FUNCTION settlement_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the bills of a closed quarter never change (%)', TG_TABLE_NAME;
      END $$;
      CREATE TRIGGER settlement_line_frozen BEFORE UPDATE OR DELETE ON settlement_line
        FOR EACH ROW EXECUTE FUNCTION settlement_frozen();
      CREATE TRIGGER settlement_area_total_frozen BEFORE UPDATE OR DELETE ON settlement_area_total
        FOR EACH ROW EXECUTE FUNCTION settlement_frozen();
      CREATE TRIGGER settlement_quarter_frozen BEFORE UPDATE OR DELETE ON settlement_quarter
        FOR EACH ROW EXECUTE FUNCTION settlement_frozen();

      -- What changed, when and by whom: one row per changed value (imports) or closed quarter.
      CREATE TABLE settlement_change (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        actor text NOT NULL,
        actor_role text NOT NULL,
        action text NOT NULL,
        year int,
        quarter smallint,
        subject text NOT NULL,
        field text NOT NULL,
        old_value text,
        new_value text
      );
      CREATE INDEX settlement_change_year ON settlement_change (year, id);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE settlement_change;
      DROP TABLE settlement_area_total;
      DROP TABLE settlement_line;
      DROP TABLE settlement_quarter;
      DROP FUNCTION settlement_frozen();
      DROP TABLE lookup_count;
      DROP TABLE realised_cost;
      DROP TABLE cost_estimate;
      DROP TABLE data_area;
      DROP TABLE municipality_population;
      DROP TABLE municipality;
    `);
  }
}
