import type { OrderEventPayload } from '@snitflow/lifecycle';
import { type NoticeInput, projectNoticeFor } from './project-notice-policy.js';

const input = (event: OrderEventPayload, toState = 'x', fromState = 'y'): NoticeInput => ({
  event,
  fromState,
  toState,
  context: { agreedTerms: { priceOere: '100', deliveryDate: '2027-03-01', conditions: null } },
});

describe('projectNoticeFor', () => {
  it.each([
    ['APPROVE', 'REQUEST_APPROVED'],
    ['REQUEST_CHANGES', 'REQUEST_CHANGES_REQUESTED'],
    ['REJECT', 'REQUEST_REJECTED'],
  ] as const)('a review (%s) goes to the requesting project only, with the comment', (decision, kind) => {
    const plan = projectNoticeFor(
      input({ type: 'REVIEW_REQUEST', requestId: 'r1', decision, comment: 'Why' }),
    );
    expect(plan).toEqual({ to: 'requester', requestId: 'r1', kind, text: 'Why', date: null, test: null });
  });

  it('an agreement carries the agreed delivery date, but only when it is reached, not when resumed into', () => {
    for (const type of ['SUPPLIER_ACCEPTS', 'ACCEPT_PROPOSAL'] as const) {
      expect(projectNoticeFor(input({ type }, 'negotiation.agreed'))).toMatchObject({
        to: 'requestingProjects',
        kind: 'SUPPLIER_AGREED',
        date: '2027-03-01',
      });
    }
    // Accepting while something else is still open leaves the order elsewhere: no news yet.
    expect(projectNoticeFor(input({ type: 'SUPPLIER_ACCEPTS' }, 'negotiation.awaitingSupplier'))).toBeNull();
    expect(projectNoticeFor(input({ type: 'RESUME' }, 'negotiation.agreed', 'onHold'))).toBeNull();
  });

  it('plan B, the test plan, live and cancel carry what the project needs to know', () => {
    expect(
      projectNoticeFor(input({ type: 'START_PLAN_B', kind: 'WORKAROUND', description: 'Manual lookup' })),
    ).toMatchObject({ kind: 'PLAN_B', text: 'Manual lookup' });
    const plan = {
      responsible: 'KOMBIT' as const,
      mode: 'SHARED' as const,
      participantProjectIds: ['p1'],
      windowStart: '2027-03-01',
      windowEnd: '2027-03-15',
    };
    expect(projectNoticeFor(input({ type: 'PLAN_TEST', plan }))).toMatchObject({
      kind: 'TEST_PLANNED',
      test: { windowStart: '2027-03-01', windowEnd: '2027-03-15', participantProjectIds: ['p1'] },
    });
    expect(projectNoticeFor(input({ type: 'GO_LIVE', liveDate: '2027-04-01' }))).toMatchObject({
      kind: 'LIVE',
      date: '2027-04-01',
    });
    expect(projectNoticeFor(input({ type: 'CANCEL', reason: 'Not needed' }))).toMatchObject({
      kind: 'CANCELLED',
      text: 'Not needed',
    });
  });

  it('an amended specification sent to the supplier goes to every requesting project, with what changed', () => {
    const change = { added: ['A'], removed: ['B'], needBy: { from: '2027-03-01', to: '2027-02-01' } };
    expect(
      projectNoticeFor(
        input({
          type: 'SEND_AMENDMENT',
          specification: { dataElements: ['A'], needBy: '2027-02-01', projectIds: [], requestIds: [] },
          change,
          recipientContactIds: [],
          replyBy: '2027-01-15',
          supplierId: 's1',
        }),
      ),
    ).toEqual({
      to: 'requestingProjects',
      kind: 'AMENDMENT_SENT',
      text: null,
      date: '2027-01-15',
      test: null,
      change,
    });
  });

  it('the supplier dialogue, tests in progress, holds and reminders are the coordinators’ business', () => {
    const quiet: OrderEventPayload[] = [
      { type: 'SEND_TO_SUPPLIER', recipientContactIds: [], replyBy: null },
      { type: 'SUPPLIER_ASKS', question: 'q' },
      { type: 'SUPPLIER_DECLINES', reason: 'r' },
      { type: 'COUNTER_PROPOSAL', terms: { priceOere: null, deliveryDate: null, conditions: null } },
      { type: 'START_TEST' },
      { type: 'RECORD_TEST_RESULT', projectId: 'p1', outcome: 'FAILED' },
      { type: 'PUT_ON_HOLD', reason: 'r' },
      { type: 'RESUME' },
      { type: 'REMINDER_SENT', scheduleVersion: 1, step: 1, kind: 'ON_DUE' },
    ];
    for (const event of quiet) expect(projectNoticeFor(input(event))).toBeNull();
  });
});
