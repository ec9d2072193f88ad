import type { InterfaceMatrix, MatrixMark } from '@snitflow/catalogue';
import type { EntityManager } from 'typeorm';

export interface MatrixImportSummary {
  interfacesCreated: number;
  interfacesUpdated: number;
  suppliersCreated: number;
  projectsCreated: number;
  marks: number;
}

/** A supplier code from its name: "CSC Scandihealth" → "CSC_SCANDIHEALTH". */
export function supplierCodeFor(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[æÆ]/g, 'AE')
      .replace(/[øØ]/g, 'OE')
      .replace(/[åÅ]/g, 'AA')
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'SUPPLIER'
  );
}

/**
 * Writes the playbook's interface list: suppliers by name, interfaces by key,
 * projects by column header. The marks of the list's columns are replaced
 * whole, so a removed mark disappears; interfaces are added and updated but
 * never deleted (orders may refer to them). Run inside the caller's
 * transaction: an import lands whole or not at all.
 */
export async function applyInterfaceMatrix(
  tx: EntityManager,
  matrix: InterfaceMatrix,
): Promise<MatrixImportSummary> {
  const summary: MatrixImportSummary = {
    interfacesCreated: 0,
    interfacesUpdated: 0,
    suppliersCreated: 0,
    projectsCreated: 0,
    marks: 0,
  };

  const supplierIds = new Map<string, string>();
  for (const name of new Set(matrix.rows.map((row) => row.sourceSupplier))) {
    const rows: { id: string; created: boolean }[] = await tx.query(
      `WITH inserted AS (
         INSERT INTO source_supplier (code, name) VALUES ($1, $2)
         ON CONFLICT (name) DO NOTHING RETURNING id)
       SELECT id, true AS created FROM inserted
       UNION ALL SELECT id, false FROM source_supplier WHERE name = $2 AND NOT EXISTS (SELECT 1 FROM inserted)`,
      [await uniqueSupplierCode(tx, name), name],
    );
    const row = rows[0];
    if (!row) throw new Error(`supplier ${name} could not be written`);
    if (row.created) summary.suppliersCreated += 1;
    supplierIds.set(name, row.id);
  }

  const projectIds: string[] = [];
  for (const [index, column] of matrix.projectColumns.entries()) {
    const existing: { id: string }[] = await tx.query('SELECT id FROM project WHERE matrix_column = $1', [
      column,
    ]);
    if (existing[0]) {
      await tx.query('UPDATE project SET matrix_position = NULL WHERE matrix_position = $1 AND id <> $2', [
        index + 1,
        existing[0].id,
      ]);
      await tx.query('UPDATE project SET matrix_position = $2 WHERE id = $1', [existing[0].id, index + 1]);
      projectIds.push(existing[0].id);
      continue;
    }
    await tx.query('UPDATE project SET matrix_position = NULL WHERE matrix_position = $1', [index + 1]);
    const created: { id: string }[] = await tx.query(
      `INSERT INTO project (code, name, name_is_assumed, matrix_column, matrix_position)
       VALUES ($1, $1, true, $1, $2) RETURNING id`,
      [column, index + 1],
    );
    if (!created[0]) throw new Error(`project ${column} could not be written`);
    summary.projectsCreated += 1;
    projectIds.push(created[0].id);
  }

  // The list is the whole playbook for its columns: a mark that is not in it is gone.
  await tx.query('DELETE FROM playbook_mark WHERE project_id = ANY($1::uuid[])', [projectIds]);
  for (const row of matrix.rows) {
    const written: { id: string; created: boolean }[] = await tx.query(
      `INSERT INTO interface (key, title, supplier_id) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET title = EXCLUDED.title, supplier_id = EXCLUDED.supplier_id
       RETURNING id, (xmax = 0) AS created`,
      [row.key, row.title, supplierIds.get(row.sourceSupplier)],
    );
    const interfaceRow = written[0];
    if (!interfaceRow) throw new Error(`interface ${row.key} could not be written`);
    if (interfaceRow.created) summary.interfacesCreated += 1;
    else summary.interfacesUpdated += 1;

    for (const [index, mark] of row.marks.entries()) {
      if (mark === 'NONE') continue;
      await tx.query('INSERT INTO playbook_mark (interface_id, project_id, mark) VALUES ($1, $2, $3)', [
        interfaceRow.id,
        projectIds[index],
        mark satisfies Exclude<MatrixMark, 'NONE'>,
      ]);
      summary.marks += 1;
    }
  }
  return summary;
}

async function uniqueSupplierCode(tx: EntityManager, name: string): Promise<string> {
  const base = supplierCodeFor(name);
  const taken: { code: string; name: string }[] = await tx.query(
    "SELECT code, name FROM source_supplier WHERE code = $1 OR code LIKE $1 || '\\_%'",
    [base],
  );
  if (taken.some((row) => row.name === name)) return base;
  const codes = new Set(taken.map((row) => row.code));
  if (!codes.has(base)) return base;
  let suffix = 2;
  while (codes.has(`${base}_${suffix}`)) suffix += 1;
  return `${base}_${suffix}`;
}

/** The interface list as stored: interfaces by key, project columns by position. */
export async function readInterfaceMatrix(tx: EntityManager): Promise<InterfaceMatrix> {
  const projects: { id: string; matrixColumn: string }[] = await tx.query(
    `SELECT id, matrix_column AS "matrixColumn" FROM project
      WHERE matrix_column IS NOT NULL AND matrix_position IS NOT NULL ORDER BY matrix_position`,
  );
  const rows: {
    id: string;
    key: string;
    title: string;
    supplier: string;
    marks: Record<string, MatrixMark> | null;
  }[] = await tx.query(
    `SELECT i.id, i.key, i.title, s.name AS supplier,
              (SELECT json_object_agg(m.project_id, m.mark) FROM playbook_mark m WHERE m.interface_id = i.id) AS marks
         FROM interface i JOIN source_supplier s ON s.id = i.supplier_id
        ORDER BY i.key`,
  );
  return {
    projectColumns: projects.map((project) => project.matrixColumn),
    rows: rows.map((row) => ({
      key: row.key,
      title: row.title,
      sourceSupplier: row.supplier,
      marks: projects.map((project) => row.marks?.[project.id] ?? 'NONE'),
    })),
  };
}
