import { Injectable } from '@nestjs/common';
import type { SpecificationChange } from '@snitflow/lifecycle';
import type { OrderSummary } from '@snitflow/mail';
import type { EntityManager } from 'typeorm';
import { DeadlinePlanner } from './deadline-planner.js';

/**
 * The summary's columns (OrderSummaryRow) of the order whose id is the SQL expression `orderId`:
 * one row, or none. One statement: the email sender runs this for every email (inside its claim
 * statement, with the row's order_id), and each extra round trip showed up in bench:email.
 */
export const orderSummarySelect = (orderId: string): string => `
  SELECT o.reference, i.key AS "interfaceKey", i.title AS "interfaceTitle", s.name AS "supplierName",
         o.state, o.due_at AS "dueAt", o.snapshot->'context'->'specification'->>'needBy' AS "needBy",
         coalesce((SELECT json_agg(json_build_object('code', e.code, 'name', coalesce(d.name, e.code))
                                   ORDER BY e.position)
                     FROM jsonb_array_elements_text(o.snapshot->'context'->'specification'->'dataElements')
                          WITH ORDINALITY AS e(code, position)
                     LEFT JOIN data_element d ON d.interface_id = o.interface_id AND d.code = e.code),
                  '[]') AS "dataElements",
         coalesce((SELECT json_agg(p.name ORDER BY p.name) FROM project p
                    WHERE p.id IN (SELECT x::uuid FROM jsonb_array_elements_text(
                                     o.snapshot->'context'->'specification'->'projectIds') AS x)),
                  '[]') AS projects,
         o.snapshot->'context'->'negotiation'->'change' AS change,
         (SELECT json_object_agg(d.code, d.name) FROM data_element d WHERE d.interface_id = o.interface_id
             AND d.code IN (SELECT jsonb_array_elements_text(o.snapshot->'context'->'negotiation'->'change'->'added')
                            UNION SELECT jsonb_array_elements_text(o.snapshot->'context'->'negotiation'->'change'->'removed')))
           AS "changeNames"
    FROM interface_order o
    JOIN interface i ON i.id = o.interface_id
    JOIN source_supplier s ON s.id = o.supplier_id
   WHERE o.id = ${orderId}`;

const ORDER_SUMMARY_SQL = orderSummarySelect('$1');

/** A row of orderSummarySelect. */
export interface OrderSummaryRow {
  reference: string;
  interfaceKey: string;
  interfaceTitle: string;
  supplierName: string;
  state: string;
  dueAt: Date | null;
  needBy: string | null;
  dataElements: { code: string; name: string }[];
  projects: string[];
  change: SpecificationChange | null;
  changeNames: Record<string, string> | null;
}

/**
 * The order as a supplier (or a coordinator) reads it in an email or on the
 * reply page: interface, consolidated data elements with their names, need-by
 * date, requesting projects, the answer deadline (only while the supplier is
 * asked to answer), the supplier.
 */
@Injectable()
export class OrderSummaries {
  constructor(private readonly deadlines: DeadlinePlanner) {}

  async summarise(tx: EntityManager, orderId: string): Promise<OrderSummary | null> {
    const rows: OrderSummaryRow[] = await tx.query(ORDER_SUMMARY_SQL, [orderId]);
    const row = rows[0];
    return row ? this.fromRow(row) : null;
  }

  /** The summary of a row of orderSummarySelect that the caller read itself. */
  fromRow(row: OrderSummaryRow): OrderSummary {
    const asking = row.state === 'negotiation.awaitingSupplier';
    const named = (code: string) => ({ code, name: row.changeNames?.[code] ?? code });
    return {
      reference: row.reference,
      interfaceKey: row.interfaceKey,
      interfaceTitle: row.interfaceTitle,
      dataElements: row.dataElements,
      needBy: row.needBy,
      projects: row.projects,
      replyBy: asking && row.dueAt ? this.deadlines.calendar.localDate(row.dueAt) : null,
      supplierName: row.supplierName,
      // Only the round that asks about the changed specification shows what changed.
      change:
        asking && row.change
          ? {
              added: row.change.added.map(named),
              removed: row.change.removed.map(named),
              needByFrom: row.change.needBy?.from ?? null,
              needByTo: row.change.needBy?.to ?? null,
            }
          : null,
    };
  }

  /**
   * The order as one request asks for it, for a notice about that request (approved, sent back,
   * rejected, …): the request's own data elements (with their names), need-by date and project,
   * in place of the consolidated specification, which is empty until consolidation. Null when
   * the order or the request (of that order) does not exist.
   */
  async summariseRequest(
    tx: EntityManager,
    orderId: string,
    requestId: string,
  ): Promise<OrderSummary | null> {
    const order = await this.summarise(tx, orderId);
    if (!order) return null;
    const rows: { needBy: string; project: string; dataElements: { code: string; name: string }[] }[] =
      await tx.query(
        `SELECT r.need_by::text AS "needBy", p.name AS project,
                coalesce((SELECT json_agg(json_build_object('code', e.code, 'name', coalesce(d.name, e.code))
                                          ORDER BY e.position)
                            FROM unnest(r.data_elements) WITH ORDINALITY AS e(code, position)
                            LEFT JOIN data_element d ON d.interface_id = r.interface_id AND d.code = e.code),
                         '[]') AS "dataElements"
           FROM interface_request r JOIN project p ON p.id = r.project_id
          WHERE r.id = $1 AND r.order_id = $2`,
        [requestId, orderId],
      );
    const request = rows[0];
    if (!request) return null;
    return {
      ...order,
      dataElements: request.dataElements,
      needBy: request.needBy,
      projects: [request.project],
      change: null,
    };
  }
}
