import { Injectable } from '@nestjs/common';
import type { OrderSummary } from '@snitflow/mail';
import type { EntityManager } from 'typeorm';
import { DeadlinePlanner } from './deadline-planner.js';

/**
 * The order as a supplier (or a coordinator) reads it in an email or on the
 * reply page: interface, consolidated data elements with their names, need-by
 * date, requesting projects, the answer deadline, the supplier.
 */
@Injectable()
export class OrderSummaries {
  constructor(private readonly deadlines: DeadlinePlanner) {}

  async summarise(tx: EntityManager, orderId: string): Promise<OrderSummary | null> {
    const rows: {
      reference: string;
      interfaceId: string;
      interfaceKey: string;
      interfaceTitle: string;
      supplierName: string;
      state: string;
      dueAt: Date | null;
      specification: { dataElements: string[]; needBy: string; projectIds: string[] } | null;
    }[] = await tx.query(
      `SELECT o.reference, i.id AS "interfaceId", i.key AS "interfaceKey", i.title AS "interfaceTitle",
              s.name AS "supplierName", o.state, o.due_at AS "dueAt",
              o.snapshot->'context'->'specification' AS specification
         FROM interface_order o
         JOIN interface i ON i.id = o.interface_id
         JOIN source_supplier s ON s.id = o.supplier_id
        WHERE o.id = $1`,
      [orderId],
    );
    const row = rows[0];
    if (!row) return null;
    const codes = row.specification?.dataElements ?? [];
    const names: { code: string; name: string }[] = await tx.query(
      'SELECT code, name FROM data_element WHERE interface_id = $1 AND code = ANY($2::text[])',
      [row.interfaceId, codes],
    );
    const nameOf = new Map(names.map((element) => [element.code, element.name]));
    const projects: { name: string }[] = await tx.query(
      'SELECT name FROM project WHERE id = ANY($1::uuid[]) ORDER BY name',
      [row.specification?.projectIds ?? []],
    );
    return {
      reference: row.reference,
      interfaceKey: row.interfaceKey,
      interfaceTitle: row.interfaceTitle,
      dataElements: codes.map((code) => ({ code, name: nameOf.get(code) ?? code })),
      needBy: row.specification?.needBy ?? null,
      projects: projects.map((project) => project.name),
      replyBy:
        row.state === 'negotiation.awaitingSupplier' && row.dueAt
          ? this.deadlines.calendar.localDate(row.dueAt)
          : null,
      supplierName: row.supplierName,
    };
  }
}
