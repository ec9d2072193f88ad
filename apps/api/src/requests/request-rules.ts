import type { RequestStatus } from '@snitflow/lifecycle';

export type ReviewDecision = 'APPROVE' | 'REQUEST_CHANGES' | 'REJECT';

export type RuleOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

const REVIEW_RESULT: Record<ReviewDecision, RequestStatus> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  REJECT: 'REJECTED',
};

/**
 * The quality review of one request. Only a submitted request is reviewed; a
 * request that asks for elements the interface does not offer cannot be
 * approved until the project changes it; sending it back or rejecting it must
 * say why.
 */
export function reviewRequest(
  request: { status: RequestStatus; unofferedDataElements: readonly string[] },
  decision: ReviewDecision,
  comment: string | null,
): RuleOutcome<RequestStatus> {
  if (request.status !== 'SUBMITTED') {
    return { ok: false, reason: `Only a submitted request can be reviewed; this one is ${request.status}` };
  }
  if (decision === 'APPROVE' && request.unofferedDataElements.length > 0) {
    return {
      ok: false,
      reason: `The interface does not offer ${request.unofferedDataElements.join(', ')}: ask the project to change the request (or reject it) before approval`,
    };
  }
  if (decision !== 'APPROVE' && !comment?.trim()) {
    return { ok: false, reason: 'Say why in a comment when requesting changes or rejecting' };
  }
  return { ok: true, value: REVIEW_RESULT[decision] };
}

/** A project may change its request until it is rejected or withdrawn; a change is reviewed again. */
export function changeRequest(status: RequestStatus): RuleOutcome<RequestStatus> {
  if (status === 'REJECTED' || status === 'WITHDRAWN') {
    return { ok: false, reason: `A ${status.toLowerCase()} request cannot be changed; submit a new one` };
  }
  return { ok: true, value: 'SUBMITTED' };
}

export function withdrawRequest(status: RequestStatus): RuleOutcome<RequestStatus> {
  if (status === 'REJECTED' || status === 'WITHDRAWN') {
    return { ok: false, reason: `The request is already ${status.toLowerCase()}` };
  }
  return { ok: true, value: 'WITHDRAWN' };
}
