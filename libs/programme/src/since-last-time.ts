import type { HistoryEvent } from './history.js';

/** One thing that happened to an order in the period. */
export interface Happening {
  orderId: string;
  at: Date;
  /** Free text from the event: plan B's description, a cancellation's reason; else null. */
  detail: string | null;
}

/** A plan B started in the period, with why. */
export interface PlanBStarted extends Happening {
  kind: string;
  /** The supplier's reason, when plan B followed its decline. */
  declineReason: string | null;
  fromState: string;
}

/**
 * What happened in a period, from the order history ("Siden sidst" in the deck). Each list has
 * one entry per event, oldest first: an order sent twice in the period is listed twice.
 */
export interface SinceLastTime {
  /** New requests (REQUESTS_CHANGED submitted). */
  requestsReceived: number;
  /** Requests changed by their project and back for review (REQUESTS_CHANGED resubmitted). */
  requestsChanged: number;
  /** Requests withdrawn by their project. */
  requestsWithdrawn: number;
  /** Request reviews by outcome (REVIEW_REQUEST). */
  requestsApproved: number;
  requestsSentBack: number;
  requestsRejected: number;
  consolidated: Happening[];
  sentToSupplier: Happening[];
  agreed: Happening[];
  declined: Happening[];
  planBsStarted: PlanBStarted[];
  testsStarted: Happening[];
  testsPassed: Happening[];
  wentLive: Happening[];
  cancelled: Happening[];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * Reads the period [from, to) out of the events. `events` must hold each order's history up to
 * `to` at least from the events in the period back to its last SUPPLIER_DECLINES (for plan B's
 * reason); passing every event of the orders concerned is simplest.
 */
export function sinceLastTime(events: readonly HistoryEvent[], from: Date, to: Date): SinceLastTime {
  const sorted = [...events].sort(
    (a, b) =>
      a.occurredAt.getTime() - b.occurredAt.getTime() ||
      (a.sequence ?? 0) - (b.sequence ?? 0) ||
      a.version - b.version,
  );
  const result: SinceLastTime = {
    requestsReceived: 0,
    requestsChanged: 0,
    requestsWithdrawn: 0,
    requestsApproved: 0,
    requestsSentBack: 0,
    requestsRejected: 0,
    consolidated: [],
    sentToSupplier: [],
    agreed: [],
    declined: [],
    planBsStarted: [],
    testsStarted: [],
    testsPassed: [],
    wentLive: [],
    cancelled: [],
  };
  const lastDecline = new Map<string, string | null>();
  for (const event of sorted) {
    if (event.type === 'SUPPLIER_DECLINES') lastDecline.set(event.orderId, text(event.payload.reason));
    const t = event.occurredAt.getTime();
    if (t < from.getTime() || t >= to.getTime()) continue;
    const happening = (detail: string | null = null): Happening => ({
      orderId: event.orderId,
      at: event.occurredAt,
      detail,
    });
    switch (event.type) {
      case 'REQUESTS_CHANGED':
        if (event.payload.change === 'submitted') result.requestsReceived += 1;
        else if (event.payload.change === 'resubmitted') result.requestsChanged += 1;
        else if (event.payload.change === 'withdrawn') result.requestsWithdrawn += 1;
        break;
      case 'REVIEW_REQUEST':
        if (event.payload.decision === 'APPROVE') result.requestsApproved += 1;
        else if (event.payload.decision === 'REQUEST_CHANGES') result.requestsSentBack += 1;
        else if (event.payload.decision === 'REJECT') result.requestsRejected += 1;
        break;
      case 'CONSOLIDATE':
        result.consolidated.push(happening());
        break;
      case 'SEND_TO_SUPPLIER':
        result.sentToSupplier.push(happening());
        break;
      case 'SUPPLIER_DECLINES':
        result.declined.push(happening(text(event.payload.reason)));
        break;
      case 'START_PLAN_B':
        result.planBsStarted.push({
          ...happening(text(event.payload.description)),
          kind: text(event.payload.kind) ?? 'UNKNOWN',
          declineReason:
            event.fromState === 'negotiation.declined' ? (lastDecline.get(event.orderId) ?? null) : null,
          fromState: event.fromState,
        });
        break;
      case 'START_TEST':
        result.testsStarted.push(happening());
        break;
      case 'COMPLETE_TEST':
        result.testsPassed.push(happening());
        break;
      case 'GO_LIVE':
        result.wentLive.push(happening(text(event.payload.liveDate)));
        break;
      case 'CANCEL':
        result.cancelled.push(happening(text(event.payload.reason)));
        break;
    }
    // Agreement is a state, reached by the supplier accepting or by accepting its proposal.
    if (event.toState === 'negotiation.agreed' && event.fromState !== event.toState) {
      result.agreed.push(happening());
    }
  }
  return result;
}
