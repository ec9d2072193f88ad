import {
  DEFAULT_CATEGORY_BY_INTERFACE,
  DEMO_DATA_ELEMENTS,
  DEMO_PROJECTS,
  DEMO_SUPPLIERS,
  loadSeedInterfaceMatrix,
} from '@snitflow/catalogue';
import { DEMO_MUNICIPALITIES } from '@snitflow/settlement';
import type { DataSource, EntityManager } from 'typeorm';
import { applyInterfaceMatrix } from './catalogue-writer.js';

export interface SeedResult {
  seeded: boolean;
  interfaces: number;
}

/**
 * Loads the demo catalogue into an empty database: the deck's 18 interfaces
 * and their source suppliers (from the shipped CSV), supplier contacts, the
 * four demo projects (names assumed: the deck lost its column headers), the
 * data elements each interface offers, and default categories. Does nothing
 * when any interface exists, so a restart never duplicates or overwrites.
 */
export async function seedDemoData(dataSource: DataSource): Promise<SeedResult> {
  return dataSource.transaction(async (tx) => {
    // Serialise concurrent starters (API and a test harness, say) on one lock.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('snitflow:seed-demo-data'))");
    await seedMunicipalities(tx, new Date().getUTCFullYear());
    const existing: { count: number }[] = await tx.query('SELECT count(*)::int AS count FROM interface');
    if ((existing[0]?.count ?? 0) > 0) return { seeded: false, interfaces: existing[0]?.count ?? 0 };

    for (const project of DEMO_PROJECTS) {
      await tx.query(
        `INSERT INTO project (code, name, name_is_assumed, matrix_column, matrix_position,
                              contact_name, contact_email, contact_language)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          project.code,
          project.name,
          project.nameIsAssumed,
          project.column,
          DEMO_PROJECTS.indexOf(project) + 1,
          project.contact?.name ?? null,
          project.contact?.email ?? null,
          project.contact?.language ?? 'da',
        ],
      );
    }
    for (const supplier of DEMO_SUPPLIERS) {
      const rows: { id: string }[] = await tx.query(
        'INSERT INTO source_supplier (code, name) VALUES ($1, $2) RETURNING id',
        [supplier.code, supplier.name],
      );
      for (const contact of supplier.contacts) {
        await tx.query(
          'INSERT INTO supplier_contact (supplier_id, name, email, language) VALUES ($1, $2, $3, $4)',
          [rows[0]?.id, contact.name, contact.email, contact.language],
        );
      }
    }

    const matrix = loadSeedInterfaceMatrix();
    await applyInterfaceMatrix(tx, matrix);

    for (const row of matrix.rows) {
      const category = DEFAULT_CATEGORY_BY_INTERFACE[row.key];
      if (category) {
        await tx.query('UPDATE interface SET default_category = $2 WHERE key = $1', [row.key, category]);
      }
      for (const element of DEMO_DATA_ELEMENTS[row.key] ?? []) {
        await tx.query(
          'INSERT INTO data_element (interface_id, code, name) SELECT id, $2, $3 FROM interface WHERE key = $1',
          [row.key, element.code, element.name],
        );
      }
    }
    return { seeded: true, interfaces: matrix.rows.length };
  });
}

/**
 * The 98 municipalities (official codes and names) with APPROXIMATE
 * inhabitants as the population figure for `year`, into a database that has
 * no municipality yet (also one seeded before settlement existed). The
 * figures are demo values, labelled so in libs/settlement; import real ones
 * with importMunicipalities.
 */
async function seedMunicipalities(tx: EntityManager, year: number): Promise<void> {
  const existing: { count: number }[] = await tx.query('SELECT count(*)::int AS count FROM municipality');
  if ((existing[0]?.count ?? 0) > 0) return;
  await tx.query('INSERT INTO municipality (code, name) SELECT * FROM unnest($1::text[], $2::text[])', [
    DEMO_MUNICIPALITIES.map((m) => m.code),
    DEMO_MUNICIPALITIES.map((m) => m.name),
  ]);
  await tx.query(
    'INSERT INTO municipality_population (year, municipality_code, inhabitants) SELECT $1, * FROM unnest($2::text[], $3::int[])',
    [year, DEMO_MUNICIPALITIES.map((m) => m.code), DEMO_MUNICIPALITIES.map((m) => m.approximateInhabitants)],
  );
}
