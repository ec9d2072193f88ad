import type { OrderCategory, OrderFacts, Party, RequestStatus } from '@snitflow/lifecycle';

/** An interface_order row as the transition path reads and writes it. */
export interface OrderRow {
  id: string;
  reference: string;
  interfaceId: string;
  supplierId: string;
  state: string;
  category: OrderCategory | null;
  ballInCourt: Party;
  machineVersion: number;
  snapshot: unknown;
  version: number;
  dueAt: Date | null;
  escalationLevel: number;
  stateEnteredAt: Date;
  scheduleVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface LockedOrder extends OrderRow {
  facts: OrderFacts;
}

export const ORDER_COLUMNS_WITHOUT_SNAPSHOT = `
  o.id, o.reference, o.interface_id AS "interfaceId", o.supplier_id AS "supplierId", o.state,
  o.category, o.ball_in_court AS "ballInCourt", o.machine_version AS "machineVersion",
  o.version, o.due_at AS "dueAt", o.escalation_level AS "escalationLevel",
  o.state_entered_at AS "stateEnteredAt", o.schedule_version AS "scheduleVersion",
  o.created_at AS "createdAt", o.updated_at AS "updatedAt"`;

/** Columns of interface_order in camelCase, for raw SQL that returns OrderRow. */
export const ORDER_COLUMNS = `${ORDER_COLUMNS_WITHOUT_SNAPSHOT}, o.snapshot`;

/**
 * The facts the machine's guards need, read in the same statement that locks
 * the order. Requests only change under this lock, so the facts cannot go
 * stale before the transition commits. `contactsOf` is the SQL expression of
 * the supplier whose contacts are counted: the order's own unless the event
 * addresses another (supplierAddressedBy: a send to plan B's supplier).
 */
export function factsColumns(contactsOf = 'o.supplier_id'): string {
  return `
  (SELECT coalesce(json_agg(json_build_object('id', r.id, 'projectId', r.project_id, 'status', r.status)
            ORDER BY r.created_at, r.id), '[]'::json)
     FROM interface_request r
    WHERE r.order_id = o.id AND r.status NOT IN ('REJECTED', 'WITHDRAWN')) AS "activeRequests",
  (SELECT count(*)::int FROM supplier_contact c WHERE c.supplier_id = ${contactsOf} AND c.removed_at IS NULL) AS "supplierContactCount"`;
}

/** The facts with the order's own supplier's contacts, for raw SQL with the order as `o`. */
export const FACTS_COLUMNS = factsColumns();

export interface FactsColumns {
  activeRequests: { id: string; projectId: string; status: RequestStatus }[];
  supplierContactCount: number;
}
