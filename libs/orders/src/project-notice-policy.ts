import type { OrderContext, OrderEventPayload, SpecificationChange } from '@snitflow/lifecycle';
import type { ProjectNoticeKind } from '@snitflow/mail';

/**
 * Which transitions a project hears about by email, and what it is told. Pure:
 * the service finds the recipients and writes the outbox rows.
 *
 * Projects hear about their own request's review, and about the milestones of
 * the order they requested: the supplier agreed, plan B (a reduced scope asks the
 * projects that lose an element to answer), the test planned, live, cancelled;
 * and about the projects' changes after the supplier was engaged: a change the coordinators turned
 * down (to its project), and an amended specification sent to the supplier (to every requesting
 * project, with what changed, since one project's change moves what the others get too). Not
 * about the rest of the dialogue with the supplier, reminders or holds: the coordinators work
 * those, and the projects see them over GraphQL.
 */
export type ProjectNoticePlan = {
  kind: ProjectNoticeKind;
  text: string | null;
  date: string | null;
  test: { windowStart: string; windowEnd: string; participantProjectIds: readonly string[] } | null;
  /** A reduced scope: what it drops, and the projects that must answer it. */
  scope?: { droppedDataElements: readonly string[]; projectIds: readonly string[] } | null;
  /** An amended specification sent to the supplier (AMENDMENT_SENT): what it changes (codes). */
  change?: SpecificationChange | null;
} & (
  | { to: 'requester'; requestId: string }
  /** Every project with an active (not rejected, not withdrawn) request on the order. */
  | { to: 'requestingProjects' }
);

export interface NoticeInput {
  event: OrderEventPayload;
  fromState: string;
  toState: string;
  /** The order's context after the transition. */
  context: Pick<OrderContext, 'agreedTerms'>;
}

const REVIEW_NOTICES = {
  APPROVE: 'REQUEST_APPROVED',
  REQUEST_CHANGES: 'REQUEST_CHANGES_REQUESTED',
  REJECT: 'REQUEST_REJECTED',
} as const satisfies Record<string, ProjectNoticeKind>;

const NOTHING = { text: null, date: null, test: null } as const;

export function projectNoticeFor({ event, toState, context }: NoticeInput): ProjectNoticePlan | null {
  switch (event.type) {
    case 'REVIEW_REQUEST':
      return {
        ...NOTHING,
        to: 'requester',
        requestId: event.requestId,
        kind: REVIEW_NOTICES[event.decision],
        text: event.comment,
      };
    // Only the events that reach an agreement: resuming into `agreed` from a hold is no news.
    case 'SUPPLIER_ACCEPTS':
    case 'ACCEPT_PROPOSAL':
      if (toState !== 'negotiation.agreed') return null;
      return {
        ...NOTHING,
        to: 'requestingProjects',
        kind: 'SUPPLIER_AGREED',
        date: context.agreedTerms?.deliveryDate ?? null,
      };
    case 'START_PLAN_B':
      if (event.kind === 'REDUCED_SCOPE' && event.scopeReduction) {
        return {
          ...NOTHING,
          to: 'requestingProjects',
          kind: 'SCOPE_REDUCED',
          text: event.description,
          scope: event.scopeReduction,
        };
      }
      return { ...NOTHING, to: 'requestingProjects', kind: 'PLAN_B', text: event.description };
    case 'TURN_DOWN_AMENDMENT':
      return {
        ...NOTHING,
        to: 'requester',
        requestId: event.requestId,
        kind: 'AMENDMENT_TURNED_DOWN',
        text: event.comment,
      };
    // The new round's reply-by date (if the coordinators set one) is when the projects may expect news.
    case 'SEND_AMENDMENT':
      return {
        ...NOTHING,
        to: 'requestingProjects',
        kind: 'AMENDMENT_SENT',
        date: event.replyBy,
        change: event.change,
      };
    case 'PLAN_TEST':
      return {
        ...NOTHING,
        to: 'requestingProjects',
        kind: 'TEST_PLANNED',
        test: {
          windowStart: event.plan.windowStart,
          windowEnd: event.plan.windowEnd,
          participantProjectIds: event.plan.participantProjectIds,
        },
      };
    case 'GO_LIVE':
      return { ...NOTHING, to: 'requestingProjects', kind: 'LIVE', date: event.liveDate };
    case 'CANCEL':
      return { ...NOTHING, to: 'requestingProjects', kind: 'CANCELLED', text: event.reason };
    default:
      return null;
  }
}
