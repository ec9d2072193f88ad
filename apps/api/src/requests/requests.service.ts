import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuthenticatedUser } from '@snitflow/auth';
import { unofferedDataElements } from '@snitflow/catalogue';
import {
  assertIsoDate,
  assertUuid,
  badInput,
  CLOCK,
  type Clock,
  conflict,
  forbidden,
  notFound,
} from '@snitflow/common';
import { InterfaceRequestEntity } from '@snitflow/database';
import type { Actor } from '@snitflow/lifecycle';
import { DeadlinePlanner, OrderTransitionService } from '@snitflow/orders';
import { DataSource, type EntityManager } from 'typeorm';
import type { ReviewRequestInput, SubmitRequestInput, UpdateRequestInput } from './request.models.js';
import { changeRequest, type RuleOutcome, reviewRequest, withdrawRequest } from './request-rules.js';

export function actorOf(user: AuthenticatedUser): Actor {
  return {
    id: user.subject,
    role: user.role,
    projectId: user.projectId,
    displayName: user.name ?? undefined,
  };
}

function ruleOrThrow<T>(outcome: RuleOutcome<T>): T {
  if (!outcome.ok) throw badInput(outcome.reason);
  return outcome.value;
}

/**
 * Projects' requests. Every change to a request happens under its order's
 * row lock and is reported to the order's machine (REQUESTS_CHANGED,
 * REVIEW_REQUEST) in the same transaction, so the order's history, its
 * consolidation guard and the request rows never disagree.
 */
@Injectable()
export class RequestsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: OrderTransitionService,
    private readonly deadlines: DeadlinePlanner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async findVisible(user: AuthenticatedUser, requestId: string): Promise<InterfaceRequestEntity> {
    const request = await this.dataSource
      .getRepository(InterfaceRequestEntity)
      .findOneBy({ id: assertUuid(requestId, 'requestId') });
    if (!request || !this.maySee(user, request)) throw notFound('Request', requestId);
    return request;
  }

  maySee(user: AuthenticatedUser, request: Pick<InterfaceRequestEntity, 'projectId'>): boolean {
    return user.role !== 'project' || request.projectId === user.projectId;
  }

  async submit(user: AuthenticatedUser, input: SubmitRequestInput): Promise<InterfaceRequestEntity> {
    const projectId = this.projectFor(user, input.projectId);
    const needBy = this.validNeedBy(input.needBy);
    return this.transitions.inTransaction(async (tx) => {
      const interfaces: { id: string; key: string; supplierId: string }[] = await tx.query(
        'SELECT id, key, supplier_id AS "supplierId" FROM interface WHERE key = $1',
        [input.interfaceKey],
      );
      const target = interfaces[0];
      if (!target) throw notFound('Interface', input.interfaceKey);
      const projects: { id: string }[] = await tx.query('SELECT id FROM project WHERE id = $1', [projectId]);
      if (!projects[0]) throw notFound('Project', projectId);

      const order = await this.transitions.lockOpenOrderFor(tx, {
        interfaceId: target.id,
        interfaceKey: target.key,
        supplierId: target.supplierId,
      });
      const dataElements = [...new Set(input.dataElements)];
      const inserted: { id: string }[] = await tx.query(
        `INSERT INTO interface_request (order_id, interface_id, project_id, status, data_elements, unoffered_data_elements,
                                        need_by, firmness, justification, tender_reference, submitted_by,
                                        created_at, updated_at)
         VALUES ($1, $2, $3, 'SUBMITTED', $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
        [
          order.id,
          target.id,
          projectId,
          dataElements,
          await this.unoffered(tx, target.id, dataElements),
          needBy,
          input.firmness,
          input.justification,
          input.tenderReference,
          user.subject,
          this.clock.now(),
        ],
      );
      const requestId = inserted[0]?.id ?? '';
      await this.transitions.apply(
        {
          orderId: order.id,
          actor: actorOf(user),
          event: { type: 'REQUESTS_CHANGED', requestId, change: 'submitted' },
        },
        tx,
      );
      return this.reload(tx, requestId);
    });
  }

  async update(user: AuthenticatedUser, input: UpdateRequestInput): Promise<InterfaceRequestEntity> {
    const needBy = input.needBy === undefined ? undefined : this.validNeedBy(input.needBy);
    return this.underOrderLock(user, input.requestId, input.expectedVersion, async (tx, request) => {
      ruleOrThrow(changeRequest(request.status));
      const dataElements = input.dataElements ? [...new Set(input.dataElements)] : request.dataElements;
      await tx.query(
        `UPDATE interface_request
            SET status = 'SUBMITTED', data_elements = $2, unoffered_data_elements = $3, need_by = $4,
                firmness = $5, justification = $6, tender_reference = $7, review_comment = NULL,
                reviewed_by = NULL, reviewed_at = NULL, version = version + 1, updated_at = $8
          WHERE id = $1`,
        [
          request.id,
          dataElements,
          await this.unoffered(tx, request.interfaceId, dataElements),
          needBy ?? request.needBy,
          input.firmness ?? request.firmness,
          input.justification ?? request.justification,
          input.tenderReference ?? request.tenderReference,
          this.clock.now(),
        ],
      );
      return {
        type: 'REQUESTS_CHANGED',
        requestId: request.id,
        change: 'resubmitted',
        // After the supplier is engaged this is an amendment; turning it down restores this content.
        previous: { dataElements: request.dataElements, needBy: request.needBy },
      } as const;
    });
  }

  async withdraw(
    user: AuthenticatedUser,
    requestId: string,
    expectedVersion: number | undefined,
  ): Promise<InterfaceRequestEntity> {
    return this.underOrderLock(user, requestId, expectedVersion, async (tx, request) => {
      ruleOrThrow(withdrawRequest(request.status));
      await tx.query(
        "UPDATE interface_request SET status = 'WITHDRAWN', version = version + 1, updated_at = $2 WHERE id = $1",
        [request.id, this.clock.now()],
      );
      return {
        type: 'REQUESTS_CHANGED',
        requestId: request.id,
        change: 'withdrawn',
        previous: { dataElements: request.dataElements, needBy: request.needBy },
      } as const;
    });
  }

  async review(user: AuthenticatedUser, input: ReviewRequestInput): Promise<InterfaceRequestEntity> {
    if (user.role === 'project') throw forbidden('Only coordinators review requests');
    const comment = input.comment?.trim() || null;
    return this.underOrderLock(user, input.requestId, input.expectedVersion, async (tx, request) => {
      const status = ruleOrThrow(reviewRequest(request, input.decision, comment));
      await tx.query(
        `UPDATE interface_request
            SET status = $2, review_comment = $3, reviewed_by = $4, reviewed_at = $5,
                version = version + 1, updated_at = $5
          WHERE id = $1`,
        [request.id, status, comment, user.subject, this.clock.now()],
      );
      return {
        type: 'REVIEW_REQUEST',
        requestId: request.id,
        decision: input.decision,
        comment,
      } as const;
    });
  }

  /**
   * Locks the request's order, then the request; checks visibility and the
   * expected version; lets `change` write the request and name the event;
   * applies that event to the order. All in one transaction.
   */
  private async underOrderLock(
    user: AuthenticatedUser,
    requestId: string,
    expectedVersion: number | undefined,
    change: (
      tx: EntityManager,
      request: InterfaceRequestEntity,
    ) => Promise<
      | {
          type: 'REQUESTS_CHANGED';
          requestId: string;
          change: 'resubmitted' | 'withdrawn';
          previous: { dataElements: string[]; needBy: string };
        }
      | {
          type: 'REVIEW_REQUEST';
          requestId: string;
          decision: 'APPROVE' | 'REQUEST_CHANGES' | 'REJECT';
          comment: string | null;
        }
    >,
  ): Promise<InterfaceRequestEntity> {
    const id = assertUuid(requestId, 'requestId');
    return this.transitions.inTransaction(async (tx) => {
      const owner: { orderId: string }[] = await tx.query(
        'SELECT order_id AS "orderId" FROM interface_request WHERE id = $1',
        [id],
      );
      if (!owner[0]) throw notFound('Request', requestId);
      await this.transitions.lock(tx, owner[0].orderId);
      const request = await tx
        .getRepository(InterfaceRequestEntity)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!request || !this.maySee(user, request)) throw notFound('Request', requestId);
      if (expectedVersion != null && expectedVersion !== request.version) {
        throw conflict(
          `Request is at version ${request.version}, not ${expectedVersion}: reload and try again`,
          {
            expectedVersion,
            currentVersion: request.version,
          },
        );
      }
      const event = await change(tx, request);
      await this.transitions.apply({ orderId: request.orderId, actor: actorOf(user), event }, tx);
      return this.reload(tx, id);
    });
  }

  private projectFor(user: AuthenticatedUser, requested: string | undefined): string {
    if (user.role === 'project') {
      if (requested && requested.toLowerCase() !== user.projectId) {
        throw forbidden('A project user can only submit requests for its own project');
      }
      return user.projectId ?? '';
    }
    if (!requested) throw badInput('projectId is required when a coordinator submits on behalf of a project');
    return assertUuid(requested, 'projectId');
  }

  private validNeedBy(needBy: string): string {
    assertIsoDate(needBy, 'needBy');
    // Today in Copenhagen, not in UTC: at 00:30 Danish time a date of yesterday is in the past.
    const today = this.deadlines.calendar.localDate(this.clock.now());
    if (needBy < today) throw badInput(`needBy ${needBy} is in the past`, { field: 'needBy' });
    return needBy;
  }

  private async unoffered(tx: EntityManager, interfaceId: string, requested: string[]): Promise<string[]> {
    const offered: { code: string }[] = await tx.query(
      'SELECT code FROM data_element WHERE interface_id = $1',
      [interfaceId],
    );
    return unofferedDataElements(
      requested,
      offered.map((row) => row.code),
    );
  }

  private async reload(tx: EntityManager, id: string): Promise<InterfaceRequestEntity> {
    return tx.getRepository(InterfaceRequestEntity).findOneByOrFail({ id });
  }
}
