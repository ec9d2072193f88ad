import type { RequestStatus } from '@snitflow/lifecycle';
import { changeRequest, reviewRequest, withdrawRequest } from './request-rules.js';

const submitted = { status: 'SUBMITTED' as RequestStatus, unofferedDataElements: [] };

describe('reviewRequest', () => {
  it.each([
    ['APPROVE', null, 'APPROVED'],
    ['REQUEST_CHANGES', 'Need more detail', 'CHANGES_REQUESTED'],
    ['REJECT', 'Out of scope', 'REJECTED'],
  ] as const)('%s → %s', (decision, comment, expected) => {
    expect(reviewRequest(submitted, decision, comment)).toEqual({ ok: true, value: expected });
  });

  it('blocks approval while requested elements are not offered (the CPR example)', () => {
    const outcome = reviewRequest(
      { status: 'SUBMITTED', unofferedDataElements: ['CPR.INDKOMST'] },
      'APPROVE',
      null,
    );
    expect(outcome).toEqual({ ok: false, reason: expect.stringContaining('does not offer CPR.INDKOMST') });
    expect(
      reviewRequest(
        { status: 'SUBMITTED', unofferedDataElements: ['CPR.INDKOMST'] },
        'REQUEST_CHANGES',
        'drop it',
      ),
    ).toEqual({ ok: true, value: 'CHANGES_REQUESTED' });
  });

  it('needs a comment to send back or reject', () => {
    expect(reviewRequest(submitted, 'REQUEST_CHANGES', '  ').ok).toBe(false);
    expect(reviewRequest(submitted, 'REJECT', null).ok).toBe(false);
  });

  it.each(['APPROVED', 'CHANGES_REQUESTED', 'REJECTED', 'WITHDRAWN'] as const)(
    'refuses to review a %s request',
    (status) => {
      expect(reviewRequest({ status, unofferedDataElements: [] }, 'APPROVE', null).ok).toBe(false);
    },
  );
});

describe('changeRequest and withdrawRequest', () => {
  it.each([
    ['SUBMITTED', true],
    ['CHANGES_REQUESTED', true],
    ['APPROVED', true],
    ['REJECTED', false],
    ['WITHDRAWN', false],
  ] as const)('%s: change and withdraw allowed = %s', (status, allowed) => {
    expect(changeRequest(status)).toEqual(
      allowed ? { ok: true, value: 'SUBMITTED' } : expect.objectContaining({ ok: false }),
    );
    expect(withdrawRequest(status)).toEqual(
      allowed ? { ok: true, value: 'WITHDRAWN' } : expect.objectContaining({ ok: false }),
    );
  });
});
