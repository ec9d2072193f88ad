import type { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@snitflow/auth';
import { SnitflowError } from '@snitflow/common';
import { type OrderChangeBatch, type OrderChangeMessage, OrderChanges } from '@snitflow/orders';
import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { LoaderRegistry } from '../graphql/loaders.js';
import type { InterfaceOrderModel } from '../orders/order.models.js';
import { OrdersService } from '../orders/orders.service.js';

/** The slice of a WebSocket this service uses (ws's WebSocket has it). */
export interface LiveSocket {
  close(code?: number, reason?: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/** What a subscription resolver sees in its GraphQL context (Mercurius subscription context). */
export interface SubscriptionContext {
  request: FastifyRequest & { user?: AuthenticatedUser };
  socket: LiveSocket;
  pubsub: { subscribe(topic: string): Promise<AsyncIterable<OrderChangeBatch> & EventEmitter> };
  /** ms since the epoch; set by onConnect from the connection's token. */
  tokenExpiresAt?: number;
}

/** graphql-ws close code for a connection whose token ran out (4403 Forbidden, as graphql-ws uses it). */
export const TOKEN_EXPIRED_CLOSE_CODE = 4403;
/** setTimeout's limit; a later expiry is re-armed when the timer fires. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Live updates for GraphQL subscriptions. Messages carry an order id only
 * (published after commit by whichever process changed the order); each one
 * is re-read as the subscriber, with the same visibility rule as the `order`
 * query, so a project hears only about orders its project has requested.
 */
@Injectable()
export class LiveService {
  private readonly armedSockets = new WeakSet<LiveSocket>();

  constructor(
    private readonly orders: OrdersService,
    private readonly changes: OrderChanges,
    private readonly loaders: LoaderRegistry,
  ) {}

  /**
   * Changes of the orders the user may see, or of one order (checked now: NOT_FOUND when the
   * user may not see it). Each delivery is the order as it is after the change.
   */
  async orderChanges(
    context: SubscriptionContext,
    user: AuthenticatedUser,
    orderId: string | null,
  ): Promise<AsyncGenerator<{ orderChanged: InterfaceOrderModel }>> {
    if (orderId) await withCode(() => this.orders.findVisible(user, orderId));
    const wanted = orderId?.toLowerCase() ?? null;
    this.closeOnExpiry(context);
    const batches = await context.pubsub.subscribe(this.changes.topics.orderChanged);
    const wants = (change: OrderChangeMessage) => wanted === null || change.orderId === wanted;
    return this.visible(context, user, batches, wants, (order) => ({ orderChanged: order }));
  }

  /** Orders that entered, moved in or left the overdue queue, among those the user may see. */
  async overdueQueueChanges(
    context: SubscriptionContext,
    user: AuthenticatedUser,
  ): Promise<AsyncGenerator<{ overdueQueueChanged: InterfaceOrderModel }>> {
    this.closeOnExpiry(context);
    const batches = await context.pubsub.subscribe(this.changes.topics.orderChanged);
    const wants = (change: OrderChangeMessage) => change.overdueQueue;
    return this.visible(context, user, batches, wants, (order) => ({ overdueQueueChanged: order }));
  }

  private async *visible<T>(
    context: SubscriptionContext,
    user: AuthenticatedUser,
    batches: AsyncIterable<OrderChangeBatch>,
    wants: (change: OrderChangeMessage) => boolean,
    wrap: (order: InterfaceOrderModel) => T,
  ): AsyncGenerator<T> {
    for await (const batch of batches) {
      // An order changed twice in one batch is read (and delivered) once, as it is now.
      const orderIds = new Set(batch.changes.filter(wants).map((change) => change.orderId));
      for (const orderId of orderIds) {
        const order = await this.orders.findVisibleOrNull(user, orderId);
        if (!order) continue;
        // The connection's request lives as long as the socket: its loaders must not serve
        // this delivery's fields (history, requests) from an earlier one.
        this.loaders.forget(context.request);
        yield wrap(order);
      }
    }
  }

  /** Closes the socket when the connection's token expires (once per socket). */
  private closeOnExpiry(context: SubscriptionContext): void {
    const socket = context.socket;
    const expiresAt = context.tokenExpiresAt;
    if (!socket || !expiresAt || this.armedSockets.has(socket)) return;
    this.armedSockets.add(socket);
    let timer: NodeJS.Timeout;
    const arm = () => {
      const left = expiresAt - Date.now();
      if (left <= 0) {
        socket.close(TOKEN_EXPIRED_CLOSE_CODE, 'Forbidden: token expired');
        return;
      }
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
      timer.unref();
    };
    arm();
    socket.once('close', () => clearTimeout(timer));
  }
}

/**
 * A refusal at subscribe time goes to the client without the error formatter (Mercurius
 * sends it as it is), so the domain error's code is put where GraphQL serialises it.
 */
async function withCode<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SnitflowError) {
      throw new GraphQLError(error.message, { extensions: { code: error.code, ...error.details } });
    }
    throw error;
  }
}
