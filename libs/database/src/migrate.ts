import type { DataSource } from 'typeorm';

/** Applies every pending migration, each in its own transaction; returns their names. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((migration) => migration.name);
}
