import type { OrderContext } from '@snitflow/lifecycle';
import type { HistoryEvent } from '@snitflow/programme';

/** One order as the programme's view reads it: its row, interface and lifecycle context. */
export interface ProgrammeOrder {
  id: string;
  reference: string;
  interfaceId: string;
  interfaceKey: string;
  interfaceTitle: string;
  /** The interface's own source supplier. */
  sourceSupplierId: string;
  /** The supplier currently negotiated with (interface_order.supplier_id). */
  supplierId: string;
  state: string;
  category: string | null;
  ballInCourt: string;
  dueAt: Date | null;
  stateEnteredAt: Date;
  createdAt: Date;
  context: OrderContext;
}

export interface ProgrammeRequest {
  id: string;
  orderId: string;
  projectId: string;
  status: string;
  dataElements: string[];
  needBy: string;
}

export interface ProgrammeProject {
  id: string;
  code: string;
  name: string;
  nameIsAssumed: boolean;
}

export interface ProgrammeSupplier {
  id: string;
  code: string;
  name: string;
}

/** Everything the programme's view computes from, read in one go. */
export interface ProgrammeData {
  now: Date;
  orders: ProgrammeOrder[];
  requests: ProgrammeRequest[];
  events: HistoryEvent[];
  projects: ProgrammeProject[];
  suppliers: ProgrammeSupplier[];
}

/** Requests that still count: not rejected, not withdrawn. */
export function isActiveRequest(request: { status: string }): boolean {
  return request.status !== 'REJECTED' && request.status !== 'WITHDRAWN';
}
