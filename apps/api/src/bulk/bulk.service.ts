import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuthenticatedUser } from '@snitflow/auth';
import { assertUuid, notFound, SnitflowError } from '@snitflow/common';
import { BATCH_HOLD_MS, Outbox } from '@snitflow/orders';
import { DataSource } from 'typeorm';
import type { InterfaceOrderModel } from '../orders/order.models.js';
import { OrdersService } from '../orders/orders.service.js';
import type {
  BulkExtendDeadlinesArgs,
  BulkOrdersArgs,
  BulkReasonedArgs,
  BulkSendArgs,
} from './bulk.inputs.js';
import type { BulkOrderOutcomeModel, BulkResultModel } from './bulk.models.js';

/**
 * Coordinators' actions over many orders. Each order goes through the same service call as the
 * single mutation — its own lock, machine decision, transaction and history event — one after
 * the other; an order that fails is reported with its error code and the rest carry on.
 * Nothing is shared between the orders' transactions, so a failure rolls back only its own.
 */
@Injectable()
export class BulkService {
  private readonly logger = new Logger(BulkService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orders: OrdersService,
    private readonly outbox: Outbox,
  ) {}

  extendDeadlines(user: AuthenticatedUser, args: BulkExtendDeadlinesArgs): Promise<BulkResultModel> {
    return this.each(args, (orderId) =>
      this.orders.extendDeadline(user, { orderId, dueDate: args.dueDate, reason: args.reason }),
    );
  }

  putOnHold(user: AuthenticatedUser, args: BulkReasonedArgs): Promise<BulkResultModel> {
    return this.each(args, (orderId) => this.orders.putOnHold(user, { orderId, reason: args.reason }));
  }

  resume(user: AuthenticatedUser, args: BulkOrdersArgs): Promise<BulkResultModel> {
    return this.each(args, (orderId) => this.orders.resume(user, { orderId }));
  }

  /**
   * Sends every consolidated order of one source supplier, oldest reference first, each as
   * sendToSupplier would (all the supplier's contacts, the given reply-by date). The orders'
   * emails carry one batch id and are held briefly while the batch runs; once it is done they
   * are released together, and the worker sends each recipient one email listing them all, a
   * reply link per order. Should the batch stop half-way (a crash), the hold simply runs out
   * and the emails go as they are: an order is never sent without its email.
   * NOT_FOUND for an unknown supplier.
   */
  async sendToSupplier(user: AuthenticatedUser, args: BulkSendArgs): Promise<BulkResultModel> {
    const supplierId = assertUuid(args.supplierId, 'supplierId');
    const suppliers: { id: string }[] = await this.dataSource.query(
      'SELECT id FROM source_supplier WHERE id = $1',
      [supplierId],
    );
    if (!suppliers[0]) throw notFound('Supplier', supplierId);
    const consolidated: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM interface_order WHERE supplier_id = $1 AND state = 'consolidated' ORDER BY reference`,
      [supplierId],
    );
    const batchId = randomUUID();
    const result = await this.each({ orderIds: consolidated.map((row) => row.id) }, (orderId) =>
      this.orders.sendToSupplier(user, { orderId }, { replyBy: args.input?.replyBy }, batchId),
    );
    await this.outbox.releaseBatch(batchId, BATCH_HOLD_MS);
    return result;
  }

  private async each(
    args: Pick<BulkOrdersArgs, 'orderIds'>,
    act: (orderId: string) => Promise<InterfaceOrderModel>,
  ): Promise<BulkResultModel> {
    const outcomes: BulkOrderOutcomeModel[] = [];
    // The same order twice would only fail the second time with a confusing INVALID_TRANSITION.
    // A UUID is the same whatever the case of its hex letters (Postgres compares them so).
    for (const orderId of [...new Set(args.orderIds.map((id) => id.toLowerCase()))]) {
      try {
        const order = await act(orderId);
        outcomes.push({ orderId, ok: true, errorCode: null, message: null, order });
      } catch (error) {
        outcomes.push({ orderId, ok: false, order: null, ...this.describe(orderId, error) });
      }
    }
    const succeeded = outcomes.filter((outcome) => outcome.ok).length;
    const failed = outcomes.length - succeeded;
    return { outcomes, applied: outcomes.length > 0 && failed === 0, succeeded, failed };
  }

  private describe(orderId: string, error: unknown): { errorCode: string; message: string } {
    if (error instanceof SnitflowError) return { errorCode: error.code, message: error.message };
    // A bug, not the caller's doing: logged with the order, reported without internals.
    this.logger.error(
      `bulk action on order ${orderId} failed unexpectedly`,
      error instanceof Error ? error.stack : error,
    );
    return {
      errorCode: 'INTERNAL_SERVER_ERROR',
      message: 'Unexpected error; it is logged with this order id',
    };
  }
}
