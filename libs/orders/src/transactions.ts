import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Transactions with work to do after they commit (queueing wake-ups in Redis). Its own service,
 * below everything that writes in a transition's transaction (the outbox, the consequences), so
 * none of them depends on the transition service that runs them.
 */
@Injectable()
export class Transactions {
  private readonly afterCommitCallbacks = new WeakMap<EntityManager, (() => Promise<void>)[]>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in a transaction, or in the caller's when one is given. Work
   * registered with onCommit runs once the outermost transaction committed.
   */
  async run<T>(work: (tx: EntityManager) => Promise<T>, tx?: EntityManager): Promise<T> {
    if (tx) return work(tx);
    const callbacks: (() => Promise<void>)[] = [];
    // PostgreSQL's default isolation (READ COMMITTED) is what the row lock needs; naming it
    // would cost a SET TRANSACTION round trip per transition.
    const result = await this.dataSource.transaction((manager) => {
      this.afterCommitCallbacks.set(manager, callbacks);
      return work(manager);
    });
    // Side by side, not one after another: each is bounded (JobQueues.bounded, ENQUEUE_TIMEOUT_MS),
    // so with Redis away a mutation waits at most one bound after its commit, not one per callback.
    await Promise.all(callbacks.map((callback) => callback()));
    return result;
  }

  /** Runs `callback` after the transaction commits (never if it rolls back). */
  onCommit(tx: EntityManager, callback: () => Promise<void>): void {
    const callbacks = this.afterCommitCallbacks.get(tx);
    if (!callbacks) throw new Error('onCommit needs a transaction opened by Transactions.run');
    callbacks.push(callback);
  }
}
