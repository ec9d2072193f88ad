import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataElementEntity,
  InterfaceEntity,
  InterfaceRequestEntity,
  type OrderEventEntity,
  ProjectEntity,
  SourceSupplierEntity,
  SupplierContactEntity,
} from '@snitflow/database';
import type { OrderFacts } from '@snitflow/lifecycle';
import { type FactsColumns, factsColumns } from '@snitflow/orders';
import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { Observable } from 'rxjs';
import { DataSource, In, type ObjectLiteral, type Repository } from 'typeorm';

function byId<T extends ObjectLiteral & { id: string }>(
  repository: Repository<T>,
): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await repository.findBy({ id: In([...ids]) } as never);
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

function groupedBy<T extends ObjectLiteral>(
  repository: Repository<T>,
  key: keyof T & string,
  order: Partial<Record<keyof T & string, 'ASC' | 'DESC'>>,
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const rows = await repository.find({ where: { [key]: In([...keys]) } as never, order: order as never });
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) groups.get(row[key] as string)?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/** Which order, and whose contacts count for a send (see OrdersService.allowedEvents). */
export interface OrderFactsKey {
  orderId: string;
  sendTarget: string;
}

/**
 * The guards' facts for many orders in one statement. A send may name its supplier, so
 * contacts count when the default target or the order's own supplier has them.
 */
function orderFacts(dataSource: DataSource): DataLoader<OrderFactsKey, OrderFacts, string> {
  return new DataLoader(
    async (keys) => {
      const rows: (FactsColumns & { orderId: string; sendTarget: string })[] = await dataSource.query(
        `SELECT k.order_id AS "orderId", k.target AS "sendTarget", ${factsColumns('ANY(ARRAY[k.target, o.supplier_id])')}
           FROM unnest($1::uuid[], $2::uuid[]) AS k(order_id, target)
           JOIN interface_order o ON o.id = k.order_id`,
        [keys.map((key) => key.orderId), keys.map((key) => key.sendTarget)],
      );
      const found = new Map(rows.map((row) => [`${row.orderId}|${row.sendTarget}`, row]));
      return keys.map(
        (key) =>
          found.get(`${key.orderId}|${key.sendTarget}`) ?? { activeRequests: [], supplierContactCount: 0 },
      );
    },
    { cacheKeyFn: (key) => `${key.orderId}|${key.sendTarget}` },
  );
}

/** Which order's history, after which version, and how many events (at most). */
export interface HistoryPageKey {
  orderId: string;
  afterVersion: number;
  limit: number;
}

/**
 * Pages of many orders' histories in one statement, each read from the (order_id, version)
 * index and cut at its limit in the database: an order with 20,000 events costs a page, not
 * 20,000 rows in memory.
 */
function historyPages(dataSource: DataSource): DataLoader<HistoryPageKey, OrderEventEntity[], string> {
  const keyOf = (key: HistoryPageKey) => `${key.orderId}|${key.afterVersion}|${key.limit}`;
  return new DataLoader(
    async (keys) => {
      const rows: (OrderEventEntity & { key: string })[] = await dataSource.query(
        `SELECT k.order_id || '|' || k.after_version || '|' || k.lim AS key,
                e.id, e.order_id AS "orderId", e.version, e.type, e.actor_id AS "actorId",
                e.actor_role AS "actorRole", e.actor_name AS "actorName", e.from_state AS "fromState",
                e.to_state AS "toState", e.payload, e.occurred_at AS "occurredAt"
           FROM unnest($1::uuid[], $2::int[], $3::int[]) AS k(order_id, after_version, lim)
           CROSS JOIN LATERAL (
             SELECT * FROM order_event e WHERE e.order_id = k.order_id AND e.version > k.after_version
              ORDER BY e.version LIMIT k.lim) e
          ORDER BY e.order_id, e.version`,
        [keys.map((key) => key.orderId), keys.map((key) => key.afterVersion), keys.map((key) => key.limit)],
      );
      const groups = new Map<string, OrderEventEntity[]>(keys.map((key) => [keyOf(key), []]));
      for (const { key, ...event } of rows) groups.get(key)?.push(event as OrderEventEntity);
      return keys.map((key) => groups.get(keyOf(key)) ?? []);
    },
    { cacheKeyFn: keyOf },
  );
}

/** Batches the per-row lookups of one GraphQL request (no N+1 on lists). */
export class RequestLoaders {
  readonly supplier: DataLoader<string, SourceSupplierEntity | null>;
  readonly interface: DataLoader<string, InterfaceEntity | null>;
  readonly project: DataLoader<string, ProjectEntity | null>;
  readonly contactsBySupplier: DataLoader<string, SupplierContactEntity[]>;
  readonly dataElementsByInterface: DataLoader<string, DataElementEntity[]>;
  readonly requestsByOrder: DataLoader<string, InterfaceRequestEntity[]>;
  /** One page of an order's history; more than asked for by one, to tell whether there is a next page. */
  readonly historyPage: DataLoader<HistoryPageKey, OrderEventEntity[], string>;
  readonly orderFacts: DataLoader<OrderFactsKey, OrderFacts, string>;

  constructor(dataSource: DataSource) {
    this.supplier = byId(dataSource.getRepository(SourceSupplierEntity));
    this.interface = byId(dataSource.getRepository(InterfaceEntity));
    this.project = byId(dataSource.getRepository(ProjectEntity));
    this.contactsBySupplier = groupedBy(dataSource.getRepository(SupplierContactEntity), 'supplierId', {
      name: 'ASC',
    });
    this.dataElementsByInterface = groupedBy(dataSource.getRepository(DataElementEntity), 'interfaceId', {
      code: 'ASC',
    });
    this.requestsByOrder = groupedBy(dataSource.getRepository(InterfaceRequestEntity), 'orderId', {
      createdAt: 'ASC',
    });
    this.historyPage = historyPages(dataSource);
    this.orderFacts = orderFacts(dataSource);
  }
}

const loadersByRequest = new WeakMap<object, RequestLoaders>();

@Injectable()
export class LoaderRegistry {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Forgets this request's loaders: the next field loads afresh. Called as each mutation field
   * starts (FreshLoadersPerMutation), so a mutation's answer shows the state after it, not what
   * an earlier field of the same document loaded.
   */
  reset(request: object): void {
    loadersByRequest.delete(request);
  }

  /** The loaders of this HTTP request, made on first use and dropped with the request. */
  for(request: object): RequestLoaders {
    let loaders = loadersByRequest.get(request);
    if (!loaders) {
      loaders = new RequestLoaders(this.dataSource);
      loadersByRequest.set(request, loaders);
    }
    return loaders;
  }

  /**
   * Drops the request's loaders. A subscription's request lives as long as its socket, so
   * each delivery starts with fresh loaders instead of an earlier delivery's cached rows.
   */
  forget(request: object): void {
    loadersByRequest.delete(request);
  }
}

/**
 * A document's mutation fields run one after another, each with its answer resolved before
 * the next starts (GraphQL's serial execution), but share one request — and so one set of
 * DataLoader caches. Without a reset, `a: putOnHold { history } b: resumeOrder { history }`
 * answers b with a's cached history. Nest runs interceptors on root fields only, so this costs
 * nothing per nested field.
 */
@Injectable()
export class FreshLoadersPerMutation implements NestInterceptor {
  constructor(private readonly registry: LoaderRegistry) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() === 'graphql') {
      const graphql = GqlExecutionContext.create(context);
      if (graphql.getInfo<GraphQLResolveInfo>().operation.operation === 'mutation') {
        this.registry.reset(graphql.getContext<{ request: object }>().request);
      }
    }
    return next.handle();
  }
}
