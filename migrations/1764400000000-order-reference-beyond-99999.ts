import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Order references were 'B-' || lpad(n, 5, '0'), and lpad truncates: order
 * 100,000 became B-10000, a duplicate, and every order after it failed the
 * unique index. References now keep at least five digits and grow beyond.
 */
export class OrderReferenceBeyond999991764400000000 implements MigrationInterface {
  name = 'OrderReferenceBeyond999991764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION snitflow_order_reference(n bigint) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT
        AS $$ SELECT 'B-' || lpad(n::text, greatest(5, length(n::text)), '0') $$;
      ALTER TABLE interface_order
        ALTER COLUMN reference SET DEFAULT snitflow_order_reference(nextval('interface_order_reference_seq'));
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE interface_order
        ALTER COLUMN reference SET DEFAULT ('B-' || lpad(nextval('interface_order_reference_seq')::text, 5, '0'));
      DROP FUNCTION snitflow_order_reference(bigint);
    `);
  }
}
