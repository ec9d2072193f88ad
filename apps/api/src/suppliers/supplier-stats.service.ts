import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, type Clock } from '@snitflow/common';
import { DeadlinePlanner } from '@snitflow/orders';
import { DataSource } from 'typeorm';
import type { SupplierModel } from '../catalogue/catalogue.models.js';
import { median, percentile } from './supplier-stats.js';
import type { SupplierResponseStatsModel } from './supplier-stats.models.js';

interface WaitRow {
  supplierId: string;
  sentAt: Date;
  answeredAt: Date;
}

@Injectable()
export class SupplierStatsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deadlines: DeadlinePlanner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * A wait starts when an order enters negotiation.awaitingSupplier and ends
   * with the supplier's answer (the next event leaving that state, if it is a
   * SUPPLIER_* event; waits ended by plan B, a hold or cancellation are not
   * answers, and a resume does not start a new one). A wait belongs to the
   * supplier the order was last sent to when it began, so after a plan B with
   * another supplier the first supplier keeps its own figures.
   */
  async stats(supplierId: string | null): Promise<SupplierResponseStatsModel[]> {
    const suppliers: SupplierModel[] = await this.dataSource.query(
      `SELECT id, code, name FROM source_supplier WHERE ($1::uuid IS NULL OR id = $1) ORDER BY name`,
      [supplierId],
    );
    const waits: WaitRow[] = await this.dataSource.query(
      `SELECT w.supplier_id AS "supplierId", e.occurred_at AS "sentAt", n.occurred_at AS "answeredAt"
         FROM order_event e
         JOIN interface_order o ON o.id = e.order_id
         CROSS JOIN LATERAL (
           SELECT coalesce(
             (SELECT (x.payload->>'supplierId')::uuid FROM order_event x
               WHERE x.order_id = e.order_id AND x.type = 'SEND_TO_SUPPLIER' AND x.version <= e.version
               ORDER BY x.version DESC LIMIT 1),
             o.supplier_id) AS supplier_id) w
         JOIN LATERAL (
           SELECT x.occurred_at, x.type FROM order_event x
            WHERE x.order_id = e.order_id AND x.version > e.version
              AND x.from_state = 'negotiation.awaitingSupplier' AND x.to_state <> x.from_state
            ORDER BY x.version LIMIT 1) n ON n.type LIKE 'SUPPLIER\\_%'
        WHERE e.to_state = 'negotiation.awaitingSupplier' AND e.from_state <> e.to_state AND e.type <> 'RESUME'
          AND ($1::uuid IS NULL OR w.supplier_id = $1)`,
      [supplierId],
    );
    const open: { supplierId: string; open: number; overdue: number }[] = await this.dataSource.query(
      `SELECT supplier_id AS "supplierId", count(*)::int AS open,
              count(*) FILTER (WHERE due_at < $2)::int AS overdue
         FROM interface_order WHERE state = 'negotiation.awaitingSupplier' AND ($1::uuid IS NULL OR supplier_id = $1)
        GROUP BY supplier_id`,
      [supplierId, this.clock.now()],
    );
    const calendar = this.deadlines.calendar;
    return suppliers.map((supplier) => {
      const days = waits
        .filter((wait) => wait.supplierId === supplier.id)
        .map((wait) => calendar.businessDaysBetween(wait.sentAt, wait.answeredAt))
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
