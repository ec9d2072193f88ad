import { Inject, Injectable } from '@nestjs/common';
import { Args, Field, Float, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { assertUuid, CLOCK, type Clock } from '@snitflow/common';
import { DeadlinePlanner } from '@snitflow/orders';
import { DataSource } from 'typeorm';
import { Roles } from '../auth/current-user.js';
import { SupplierModel } from '../catalogue/catalogue.models.js';
import { median, percentile } from './supplier-stats.js';

@ObjectType('SupplierResponseStats', {
  description:
    'How fast a supplier answers: business days from the order (or a new round) reaching it to its answer.',
})
export class SupplierResponseStatsModel {
  @Field(() => SupplierModel)
  supplier: SupplierModel;

  @Field(() => Int, { description: 'Waits the supplier has answered (accept, propose, ask or decline).' })
  answered: number;

  @Field(() => Float, { nullable: true })
  medianBusinessDays: number | null;

  @Field(() => Int, { nullable: true, description: '90th percentile (nearest rank).' })
  p90BusinessDays: number | null;

  @Field(() => Int, { description: 'Orders waiting for this supplier now.' })
  openWaits: number;

  @Field(() => Int, { description: 'Of those, past their deadline.' })
  overdue: number;
}

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
   * SUPPLIER_* event; waits ended by plan B or cancellation are not answers).
   * Waits are attributed to the order's current supplier.
   */
  async stats(supplierId: string | null): Promise<SupplierResponseStatsModel[]> {
    const suppliers: SupplierModel[] = await this.dataSource.query(
      `SELECT id, code, name FROM source_supplier WHERE ($1::uuid IS NULL OR id = $1) ORDER BY name`,
      [supplierId],
    );
    const waits: WaitRow[] = await this.dataSource.query(
      `SELECT o.supplier_id AS "supplierId", e.occurred_at AS "sentAt", n.occurred_at AS "answeredAt"
         FROM order_event e
         JOIN interface_order o ON o.id = e.order_id
         JOIN LATERAL (
           SELECT x.occurred_at, x.type FROM order_event x
            WHERE x.order_id = e.order_id AND x.version > e.version
              AND x.from_state = 'negotiation.awaitingSupplier' AND x.to_state <> x.from_state
            ORDER BY x.version LIMIT 1) n ON n.type LIKE 'SUPPLIER\\_%'
        WHERE e.to_state = 'negotiation.awaitingSupplier' AND e.from_state <> e.to_state
          AND ($1::uuid IS NULL OR o.supplier_id = $1)`,
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

@Resolver(() => SupplierResponseStatsModel)
export class SupplierStatsResolver {
  constructor(private readonly stats: SupplierStatsService) {}

  @Roles('coordinator', 'admin')
  @Query(() => [SupplierResponseStatsModel], { description: 'Response figures per source supplier.' })
  supplierResponseStats(@Args('supplierId', { type: () => ID, nullable: true }) supplierId?: string) {
    return this.stats.stats(supplierId ? assertUuid(supplierId, 'supplierId') : null);
  }
}
