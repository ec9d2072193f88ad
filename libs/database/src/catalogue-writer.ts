import { type InterfaceMatrix, type MatrixMark, unofferedDataElements } from '@snitflow/catalogue';
import type { EntityManager } from 'typeorm';

export interface MatrixImportSummary {
  interfacesCreated: number;
  /** Interfaces whose title or supplier changed (an identical row is not counted). */
  interfacesUpdated: number;
  interfacesUnchanged: number;
  suppliersCreated: number;
  projectsCreated: number;
  /** Marks in the list (firm and tentative). */
  marks: number;
  /** Marks added, removed or changed between firm and tentative. */
  marksChanged: number;
  /** Data elements added, renamed or removed (only when the list carries a data_elements column). */
  dataElementsChanged: number;
  /** Everything the import changed, projects moved to another column included: 0 for an identical list. */
  changed: number;
}

/**
 * Recomputes which requested data elements the interface does not offer, for its requests not yet
 * decided (SUBMITTED, CHANGES_REQUESTED): after the catalogue changes, a request for an element
 * now offered can be approved, and one for an element removed is flagged again. Decided requests
 * keep what was decided. Returns how many requests changed.
 */
export async function reflagUndecidedRequests(tx: EntityManager, interfaceId: string): Promise<number> {
  const offered: { code: string }[] = await tx.query(
    'SELECT code FROM data_element WHERE interface_id = $1',
    [interfaceId],
  );
  const requests: { id: string; dataElements: string[]; unoffered: string[] }[] = await tx.query(
    `SELECT id, data_elements AS "dataElements", unoffered_data_elements AS unoffered
       FROM interface_request WHERE interface_id = $1 AND status IN ('SUBMITTED', 'CHANGES_REQUESTED')`,
    [interfaceId],
  );
  const codes = offered.map((row) => row.code);
  let changed = 0;
  for (const request of requests) {
    const unoffered = unofferedDataElements(request.dataElements, codes);
    if (unoffered.join('\n') === request.unoffered.join('\n')) continue;
    await tx.query('UPDATE interface_request SET unoffered_data_elements = $2 WHERE id = $1', [
      request.id,
      unoffered,
    ]);
    changed += 1;
  }
  return changed;
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
    interfacesUnchanged: 0,
    suppliersCreated: 0,
    projectsCreated: 0,
    marks: 0,
    marksChanged: 0,
    dataElementsChanged: 0,
    changed: 0,
  };
  let projectsMoved = 0;

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
    const existing: { id: string; position: number | null }[] = await tx.query(
      'SELECT id, matrix_position AS position FROM project WHERE matrix_column = $1',
      [column],
    );
    if (existing[0]) {
      // Written only when the column moved, so an identical list reports no change.
      if (existing[0].position !== index + 1) {
        await tx.query('UPDATE project SET matrix_position = NULL WHERE matrix_position = $1 AND id <> $2', [
          index + 1,
          existing[0].id,
        ]);
        await tx.query('UPDATE project SET matrix_position = $2 WHERE id = $1', [existing[0].id, index + 1]);
        projectsMoved += 1;
      }
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

  // The list is the whole playbook for its columns: a mark that is not in it is gone. Only the
  // differences are written, so an identical list changes (and reports) nothing.
  const before: { interfaceId: string; projectId: string; mark: string }[] = await tx.query(
    `SELECT interface_id AS "interfaceId", project_id AS "projectId", mark FROM playbook_mark
      WHERE project_id = ANY($1::uuid[])`,
    [projectIds],
  );
  const existingMarks = new Map(before.map((m) => [`${m.interfaceId}|${m.projectId}`, m.mark]));
  const wantedMarks = new Map<string, Exclude<MatrixMark, 'NONE'>>();
  for (const row of matrix.rows) {
    // Unchanged rows are not written at all: `WHERE … IS DISTINCT FROM` leaves them alone.
    const written: { id: string; created: boolean }[] = await tx.query(
      `INSERT INTO interface (key, title, supplier_id) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET title = EXCLUDED.title, supplier_id = EXCLUDED.supplier_id
         WHERE interface.title IS DISTINCT FROM EXCLUDED.title OR interface.supplier_id IS DISTINCT FROM EXCLUDED.supplier_id
       RETURNING id, (xmax = 0) AS created`,
      [row.key, row.title, supplierIds.get(row.sourceSupplier)],
    );
    let interfaceId = written[0]?.id;
    if (written[0]?.created) summary.interfacesCreated += 1;
    else if (written[0]) summary.interfacesUpdated += 1;
    else {
      summary.interfacesUnchanged += 1;
      const found: { id: string }[] = await tx.query('SELECT id FROM interface WHERE key = $1', [row.key]);
      interfaceId = found[0]?.id;
    }
    if (!interfaceId) throw new Error(`interface ${row.key} could not be written`);

    for (const [index, mark] of row.marks.entries()) {
      if (mark === 'NONE') continue;
      wantedMarks.set(`${interfaceId}|${projectIds[index]}`, mark);
      summary.marks += 1;
    }
    if (row.dataElements !== undefined) {
      const changedElements = await writeDataElements(tx, interfaceId, row.dataElements);
      summary.dataElementsChanged += changedElements;
      if (changedElements > 0) await reflagUndecidedRequests(tx, interfaceId);
    }
  }
  for (const [pair, mark] of existingMarks) {
    if (wantedMarks.get(pair) === mark) continue;
    const [interfaceId, projectId] = pair.split('|');
    await tx.query('DELETE FROM playbook_mark WHERE interface_id = $1 AND project_id = $2', [
      interfaceId,
      projectId,
    ]);
    summary.marksChanged += 1;
  }
  for (const [pair, mark] of wantedMarks) {
    const had = existingMarks.get(pair);
    if (had === mark) continue;
    const [interfaceId, projectId] = pair.split('|');
    await tx.query('INSERT INTO playbook_mark (interface_id, project_id, mark) VALUES ($1, $2, $3)', [
      interfaceId,
      projectId,
      mark,
    ]);
    // A mark changed from firm to tentative was counted once when its old value was deleted.
    if (had === undefined) summary.marksChanged += 1;
  }
  summary.changed =
    summary.interfacesCreated +
    summary.interfacesUpdated +
    summary.suppliersCreated +
    summary.projectsCreated +
    projectsMoved +
    summary.marksChanged +
    summary.dataElementsChanged;
  return summary;
}

/** Makes the interface's data elements exactly `wanted`; returns how many were added, renamed or removed. */
async function writeDataElements(
  tx: EntityManager,
  interfaceId: string,
  wanted: readonly { code: string; name: string }[],
): Promise<number> {
  const current: { code: string; name: string }[] = await tx.query(
    'SELECT code, name FROM data_element WHERE interface_id = $1',
    [interfaceId],
  );
  const have = new Map(current.map((element) => [element.code, element.name]));
  const want = new Map(wanted.map((element) => [element.code, element.name]));
  let changed = 0;
  for (const code of have.keys()) {
    if (want.has(code)) continue;
    await tx.query('DELETE FROM data_element WHERE interface_id = $1 AND code = $2', [interfaceId, code]);
    changed += 1;
  }
  for (const [code, name] of want) {
    const had = have.get(code);
    if (had === name) continue;
    if (had === undefined) {
      await tx.query('INSERT INTO data_element (interface_id, code, name) VALUES ($1, $2, $3)', [
        interfaceId,
        code,
        name,
      ]);
    } else {
      await tx.query('UPDATE data_element SET name = $3 WHERE interface_id = $1 AND code = $2', [
        interfaceId,
        code,
        name,
      ]);
    }
    changed += 1;
  }
  return changed;
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

/**
 * The interface list as stored: interfaces by key, project columns by position; with
 * `withDataElements`, each row's data elements too (the data_elements column).
 */
export async function readInterfaceMatrix(
  tx: EntityManager,
  options: { withDataElements?: boolean } = {},
): Promise<InterfaceMatrix> {
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
    elements: { code: string; name: string }[];
  }[] = await tx.query(
    `SELECT i.id, i.key, i.title, s.name AS supplier,
              (SELECT json_object_agg(m.project_id, m.mark) FROM playbook_mark m WHERE m.interface_id = i.id) AS marks,
              (SELECT coalesce(json_agg(json_build_object('code', d.code, 'name', d.name) ORDER BY d.code), '[]'::json)
                 FROM data_element d WHERE d.interface_id = i.id) AS elements
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
      ...(options.withDataElements ? { dataElements: row.elements } : {}),
    })),
  };
}
