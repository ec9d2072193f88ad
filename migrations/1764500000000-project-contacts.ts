import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A project's mailbox for notices about its requests and orders (request
 * reviewed, supplier agreed, plan B, test planned, live, cancelled). Optional:
 * a project without one gets no email, and sees everything over GraphQL.
 */
export class ProjectContacts1764500000000 implements MigrationInterface {
  name = 'ProjectContacts1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE project
        ADD COLUMN contact_name text,
        ADD COLUMN contact_email text,
        ADD COLUMN contact_language text NOT NULL DEFAULT 'da' CHECK (contact_language IN ('da', 'en'));
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE project DROP COLUMN contact_language, DROP COLUMN contact_email, DROP COLUMN contact_name;
    `);
  }
}
