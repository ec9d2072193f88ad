import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuthenticatedUser } from '@snitflow/auth';
import {
  CatalogueInputError,
  parseInterfaceKey,
  parseInterfaceMatrixCsv,
  serializeInterfaceMatrixCsv,
} from '@snitflow/catalogue';
import { badInput, CLOCK, type Clock, notFound } from '@snitflow/common';
import {
  applyInterfaceMatrix,
  InterfaceEntity,
  type MatrixImportSummary,
  ProjectEntity,
  readInterfaceMatrix,
  SourceSupplierEntity,
} from '@snitflow/database';
import { DataSource } from 'typeorm';
import type { SetProjectContactInput } from './catalogue.inputs.js';
import { recordCatalogueEvent } from './catalogue-changes.service.js';

/** Largest interface list accepted in one import (the deck's has 18 rows). */
const MAX_MATRIX_CSV_BYTES = 512 * 1024;

@Injectable()
export class CatalogueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  interfaces(): Promise<InterfaceEntity[]> {
    return this.dataSource.getRepository(InterfaceEntity).find({ order: { key: 'ASC' } });
  }

  async interfaceByKey(key: string): Promise<InterfaceEntity | null> {
    return this.dataSource.getRepository(InterfaceEntity).findOneBy({ key: this.validKey(key) });
  }

  suppliers(): Promise<SourceSupplierEntity[]> {
    return this.dataSource.getRepository(SourceSupplierEntity).find({ order: { name: 'ASC' } });
  }

  /**
   * A project user may set its own project's mailbox (it knows it best); coordinators any.
   * Another project's id is NOT_FOUND to a project user, as everywhere else.
   */
  async setProjectContact(user: AuthenticatedUser, input: SetProjectContactInput): Promise<ProjectEntity> {
    if (user.role === 'project' && user.projectId !== input.projectId)
      throw notFound('Project', input.projectId);
    const email = input.contactEmail?.trim() || null;
    const projects = this.dataSource.getRepository(ProjectEntity);
    const result = await projects.update(
      { id: input.projectId },
      {
        contactEmail: email,
        // A name without a mailbox would be a contact nobody can reach.
        contactName: email ? input.contactName?.trim() || null : null,
        contactLanguage: input.contactLanguage,
      },
    );
    const project = result.affected ? await projects.findOneBy({ id: input.projectId }) : null;
    if (!project) throw notFound('Project', input.projectId);
    return project;
  }

  projects(onlyProjectId: string | null): Promise<ProjectEntity[]> {
    return this.dataSource.getRepository(ProjectEntity).find({
      where: onlyProjectId ? { id: onlyProjectId } : {},
      order: { matrixPosition: 'ASC', code: 'ASC' },
    });
  }

  async matrix() {
    const [matrix, projects] = await Promise.all([
      readInterfaceMatrix(this.dataSource.manager),
      this.projects(null),
    ]);
    const projectByColumn = new Map(projects.map((project) => [project.matrixColumn, project]));
    return matrix.rows.map((row) => ({
      key: row.key,
      title: row.title,
      sourceSupplier: row.sourceSupplier,
      marks: row.marks.map((mark, index) => {
        const column = matrix.projectColumns[index] ?? '';
        const project = projectByColumn.get(column);
        if (!project) throw new Error(`matrix column ${column} has no project`);
        return { column, project, mark };
      }),
    }));
  }

  /** The list as CSV in the seed file's format; with `withDataElements`, plus the data_elements column. */
  async exportMatrixCsv(withDataElements = false): Promise<string> {
    return serializeInterfaceMatrixCsv(
      await readInterfaceMatrix(this.dataSource.manager, { withDataElements }),
    );
  }

  /**
   * Imports the playbook's list in one transaction: every row lands, or none; only differences
   * are written, and an import that changed anything is audited (catalogueChanges).
   */
  async importMatrixCsv(user: AuthenticatedUser, csv: string): Promise<MatrixImportSummary> {
    if (Buffer.byteLength(csv, 'utf8') > MAX_MATRIX_CSV_BYTES) {
      throw badInput(`The CSV is larger than ${MAX_MATRIX_CSV_BYTES / 1024} KiB`, { field: 'csv' });
    }
    let matrix: ReturnType<typeof parseInterfaceMatrixCsv>;
    try {
      matrix = parseInterfaceMatrixCsv(csv);
    } catch (error) {
      if (error instanceof CatalogueInputError) throw badInput(error.message, { field: 'csv' });
      throw error;
    }
    return this.dataSource.transaction(async (tx) => {
      const summary = await applyInterfaceMatrix(tx, matrix);
      if (summary.changed > 0) {
        await recordCatalogueEvent(tx, user, this.clock.now(), {
          kind: 'INTERFACE_MATRIX_IMPORTED',
          subject: `${matrix.rows.length} interfaces`,
          after: { ...summary },
        });
      }
      return summary;
    });
  }

  validKey(key: string): string {
    try {
      return parseInterfaceKey(key);
    } catch (error) {
      if (error instanceof CatalogueInputError) throw badInput(error.message, { field: 'key' });
      throw error;
    }
  }
}
