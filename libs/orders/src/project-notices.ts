import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@snitflow/common';
import {
  type OrderContext,
  type OrderEventPayload,
  type OrderSnapshot,
  outstandingScopeResponses,
  type SpecificationChange,
} from '@snitflow/lifecycle';
import type { EntityManager } from 'typeorm';
import { Outbox } from './outbox.js';
import { type ProjectNoticePlan, projectNoticeFor } from './project-notice-policy.js';

interface ProjectRecipient {
  id: string;
  name: string;
  contactName: string | null;
  contactEmail: string;
  contactLanguage: 'da' | 'en';
}

const RECIPIENT_COLUMNS = `p.id, p.name, p.contact_name AS "contactName", p.contact_email AS "contactEmail",
  p.contact_language AS "contactLanguage"`;

/**
 * Emails the projects about their requests and orders (see project-notice-policy.ts),
 * in the transaction of the transition that causes them, to each project's mailbox.
 * A project without one gets nothing and misses nothing: GraphQL shows it all.
 */
@Injectable()
export class ProjectNotices {
  constructor(
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Writes the notices this transition causes; returns how many. */
  async afterTransition(
    tx: EntityManager,
    result: { order: { id: string }; fromState: string; toState: string; snapshot: OrderSnapshot },
    event: OrderEventPayload,
  ): Promise<number> {
    const plan = projectNoticeFor({
      event,
      fromState: result.fromState,
      toState: result.toState,
      context: result.snapshot.context,
    });
    if (!plan) return 0;
    const recipients = await this.recipients(tx, result.order.id, plan);
    if (recipients.length === 0) return 0;
    const now = this.clock.now();
    const change = plan.change ? await this.changeExtras(tx, result.order.id, plan.change) : {};
    await this.outbox.add(
      tx,
      recipients.map((project) => ({
        orderId: result.order.id,
        template: 'PROJECT_UPDATE' as const,
        language: project.contactLanguage,
        recipientEmail: project.contactEmail,
        recipientName: project.contactName ?? project.name,
        data: {
          noticeKind: plan.kind,
          projectName: project.name,
          noticeText: plan.text,
          noticeDate: plan.date,
          windowStart: plan.test?.windowStart ?? null,
          windowEnd: plan.test?.windowEnd ?? null,
          takesPart: plan.test
            ? plan.test.participantProjectIds.includes(project.id)
            : plan.scope
              ? plan.scope.projectIds.includes(project.id)
              : null,
          noticeElements: plan.scope ? plan.scope.droppedDataElements.join(', ') : null,
          // A notice about one request shows that request, not the order's specification
          // (empty before consolidation).
          requestId: plan.to === 'requester' ? plan.requestId : null,
          ...change,
        },
        // Projects are colleagues, not suppliers: no office-hours hold.
        notBefore: now,
      })),
    );
    return recipients.length;
  }

  /**
   * A reminder of a wait on projects, to each project still owing its part that has a mailbox:
   * in `test.running` a taking-part project without a test result, in `scopeAcknowledgement` a
   * project that has not answered the reduced scope. Returns how many were written: with none,
   * the caller reminds the coordinators instead, so a reminder is never lost.
   */
  async remindProjects(
    tx: EntityManager,
    order: { id: string; dueAt: Date | null },
    state: string,
    context: Pick<OrderContext, 'testPlan' | 'testResults' | 'scopeReduction'>,
    dueDate: string | null,
    reminder: { reminderNumber: number; overdueBusinessDays: number },
  ): Promise<number> {
    const scope = state === 'scopeAcknowledgement';
    const waiting = scope
      ? outstandingScopeResponses(context)
      : (context.testPlan?.participantProjectIds ?? []).filter((id) => !context.testResults[id]);
    if (waiting.length === 0) return 0;
    const projects: ProjectRecipient[] = await tx.query(
      `SELECT ${RECIPIENT_COLUMNS} FROM project p
        WHERE p.id = ANY($1::uuid[]) AND p.contact_email IS NOT NULL ORDER BY p.code`,
      [waiting],
    );
    const now = this.clock.now();
    await this.outbox.add(
      tx,
      projects.map((project) => ({
        orderId: order.id,
        template: 'PROJECT_UPDATE' as const,
        language: project.contactLanguage,
        recipientEmail: project.contactEmail,
        recipientName: project.contactName ?? project.name,
        data: {
          noticeKind: scope ? 'SCOPE_ANSWER_DUE' : 'TEST_RESULT_DUE',
          projectName: project.name,
          noticeDate: dueDate,
          ...reminder,
        },
        notBefore: now,
      })),
    );
    return projects.length;
  }

  /**
   * An amended round's change as the notice shows it (AMENDMENT_SENT): elements as "CODE Name, …"
   * (names from the interface's catalogue, the code alone for one no longer in it), need-by dates.
   * Written into the row, not read when it is sent, since by then the supplier may have answered.
   */
  private async changeExtras(
    tx: EntityManager,
    orderId: string,
    change: SpecificationChange,
  ): Promise<Record<string, string | null>> {
    const codes = [...change.added, ...change.removed];
    const rows: { code: string; name: string }[] = codes.length
      ? await tx.query(
          `SELECT d.code, d.name FROM data_element d JOIN interface_order o ON o.interface_id = d.interface_id
            WHERE o.id = $1 AND d.code = ANY($2::text[])`,
          [orderId, codes],
        )
      : [];
    const names = new Map(rows.map((row) => [row.code, row.name]));
    const list = (list: readonly string[]) =>
      list.map((code) => (names.has(code) ? `${code} ${names.get(code)}` : code)).join(', ') || null;
    return {
      noticeAdded: list(change.added),
      noticeRemoved: list(change.removed),
      noticeNeedByFrom: change.needBy?.from ?? null,
      noticeNeedByTo: change.needBy?.to ?? null,
    };
  }

  private recipients(
    tx: EntityManager,
    orderId: string,
    plan: ProjectNoticePlan,
  ): Promise<ProjectRecipient[]> {
    if (plan.to === 'requester') {
      return tx.query(
        `SELECT ${RECIPIENT_COLUMNS} FROM interface_request r JOIN project p ON p.id = r.project_id
          WHERE r.id = $1 AND p.contact_email IS NOT NULL`,
        [plan.requestId],
      );
    }
    return tx.query(
      `SELECT ${RECIPIENT_COLUMNS} FROM project p
        WHERE p.contact_email IS NOT NULL
          AND EXISTS (SELECT 1 FROM interface_request r
                       WHERE r.project_id = p.id AND r.order_id = $1 AND r.status NOT IN ('REJECTED', 'WITHDRAWN'))
        ORDER BY p.code`,
      [orderId],
    );
  }
}
