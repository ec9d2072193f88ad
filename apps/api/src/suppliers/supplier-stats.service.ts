import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, type Clock } from '@snitflow/common';
import { DeadlinePlanner } from '@snitflow/orders';
import { DataSource } from 'typeorm';
import type { SupplierModel } from '../catalogue/catalogue.models.js';
import { answeredWaits, median, percentile, type WaitEvent } from './supplier-stats.js';
import type { SupplierResponseStatsModel } from './supplier-stats.models.js';

@Injectable()
export class SupplierStatsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deadlines: DeadlinePlanner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Answered waits per supplier (see answeredWaits: the business time the ball was with the
   * supplier, holds excluded, ended by its answer), and the orders waiting for it now.
   */
  async stats(supplierId: string | null): Promise<SupplierResponseStatsModel[]> {
    const suppliers: SupplierModel[] = await this.dataSource.query(
      `SELECT id, code, name FROM source_supplier WHERE ($1::uuid IS NULL OR id = $1) ORDER BY name`,
      [supplierId],
    );
    // Only the events a wait can turn on, of orders that were ever sent to a supplier.
    const events: WaitEvent[] = await this.dataSource.query(
      `SELECT e.order_id AS "orderId", e.type, e.from_state AS "fromState", e.to_state AS "toState",
              e.occurred_at AS "occurredAt", e.payload->>'supplierId' AS "sentTo",
              o.supplier_id AS "orderSupplierId"
         FROM order_event e
         JOIN interface_order o ON o.id = e.order_id
        WHERE e.order_id IN (SELECT order_id FROM order_event WHERE to_state = 'negotiation.awaitingSupplier')
          AND (e.to_state = 'negotiation.awaitingSupplier' OR e.from_state = 'negotiation.awaitingSupplier'
               OR e.from_state = 'onHold' OR e.payload ? 'supplierId')
        ORDER BY e.order_id, e.version`,
    );
    const calendar = this.deadlines.calendar;
    const waits = answeredWaits(events, (from, to) => calendar.businessDaysBetween(from, to)).filter(
      (wait) => supplierId === null || wait.supplierId === supplierId,
    );
    const open: { supplierId: string; open: number; overdue: number }[] = await this.dataSource.query(
      `SELECT supplier_id AS "supplierId", count(*)::int AS open,
              count(*) FILTER (WHERE due_at < $2)::int AS overdue
         FROM interface_order WHERE state = 'negotiation.awaitingSupplier' AND ($1::uuid IS NULL OR supplier_id = $1)
        GROUP BY supplier_id`,
      [supplierId, this.clock.now()],
    );
    return suppliers.map((supplier) => {
      const days = waits
        .filter((wait) => wait.supplierId === supplier.id)
        .map((wait) => wait.businessDays)
        .sort((a, b) => a - b);
      const current = open.find((row) => row.supplierId === supplier.id);
      return {
        supplier,
        answered: days.length,
        medianBusinessDays: median(days),
        p90BusinessDays: percentile(days, 90),
        openWaits: current?.open ?? 0,
        overdue: current?.overdue ?? 0,
      };
    });
  }
}
