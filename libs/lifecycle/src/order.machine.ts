/**
 * The lifecycle of one interface order: the living spec.
 *
 * Projects' approved requests are consolidated into one order (ordered →
 * consolidated). The coordinators send it to the source supplier, who answers
 * by accepting, proposing terms, asking, or declining (negotiation). When the
 * supplier cannot or will not deliver, plan B finds another route, back to a
 * negotiation or straight to test. The test is planned, run with results per
 * project, and passed (or sent back to the supplier for a fix); then the order
 * goes live. Until then it can be put on hold, and resumes exactly where it was
 * (deep history under `active`), or be cancelled. A request that changes while
 * the order is on hold before the supplier is engaged reopens it on resume.
 *
 * A plan B with a reduced scope drops data elements from the specification; every
 * project whose request loses one must acknowledge or object (scopeAcknowledgement,
 * the ball with those projects) before the order goes on. A request that changes
 * once the supplier is engaged is an amendment: the coordinators send the amended
 * specification to the supplier as a new round (SEND_AMENDMENT, with what changed)
 * or turn the change down (TURN_DOWN_AMENDMENT).
 *
 * Every state names who holds the ball in its `meta`. Roles are not decided
 * here but in roles.ts (EVENT_ROLES), enforced by applyOrderEvent.
 *
 * Changing the shape of states or context means bumping ORDER_MACHINE_VERSION
 * and registering a migration in snapshot.ts, or stored orders stop restoring.
 */
import { assertEvent, assign, type SnapshotFrom, setup } from 'xstate';
import {
  initialOrderContext,
  type Negotiation,
  type OrderContext,
  type OrderInput,
  supplierEngaged,
} from './order-context.js';
import type { OrderEvent } from './order-events.js';
import type { BallRule } from './parties.js';
import { holds, PRECONDITIONS } from './preconditions.js';

export const ORDER_MACHINE_VERSION = 4;

export interface OrderStateMeta {
  ball: BallRule;
}

function nextNegotiationRound(
  previous: Negotiation | null,
  changes: Omit<Negotiation, 'round'>,
): Negotiation {
  return { ...changes, round: (previous?.round ?? 0) + 1 };
}

// A reduced scope that takes an element from some project's request waits for those projects' answers.
const START_PLAN_B_TRANSITIONS = [
  {
    target: '#order.active.scopeAcknowledgement',
    guard: 'scopeReductionAwaitsProjects',
    actions: ['storePlanB', 'reduceScope'],
  },
  { target: '#order.active.planB', actions: ['storePlanB', 'reduceScope'] },
] as const;

// From any state after the supplier is engaged (negotiation, plan B, test): a new round.
const SEND_AMENDMENT_TRANSITION = {
  target: '#order.active.negotiation.awaitingSupplier',
  guard: 'amendmentReady',
  actions: 'startAmendedRound',
  // Entering the wait for the supplier again, even from inside it: a new round, a new deadline.
  reenter: true,
} as const;

export const orderMachine = setup({
  types: {
    context: {} as OrderContext,
    events: {} as OrderEvent,
    input: {} as OrderInput,
    meta: {} as OrderStateMeta,
  },
  guards: {
    // A request still under review would silently drop out of what is bought.
    allActiveRequestsApproved: holds(PRECONDITIONS.allActiveRequestsApproved),
    // The order goes out by email; with nobody to write to it would wait forever.
    supplierHasContact: holds(PRECONDITIONS.supplierHasContact),
    testPlanHasParticipants: holds(PRECONDITIONS.testPlanHasParticipants),
    resultIsForParticipant: holds(PRECONDITIONS.resultIsForParticipant),
    // "Test results complete before passing": no participant may be left out.
    allTestResultsPassed: holds(PRECONDITIONS.allTestResultsPassed),
    // A fix needs something to fix.
    someTestResultFailed: holds(PRECONDITIONS.someTestResultFailed),
    // On hold the state no longer says whether the order was past consolidation; the context does.
    beforeSupplierEngaged: ({ context }) => !supplierEngaged(context),
    reopensOnResume: ({ context }) => context.reopenOnResume,
    scopeReductionAwaitsProjects: holds(PRECONDITIONS.scopeReductionAwaitsProjects),
    scopeResponseAwaited: holds(PRECONDITIONS.scopeResponseAwaited),
    lastScopeResponse: holds(PRECONDITIONS.lastScopeResponse),
    amendmentReady: holds(PRECONDITIONS.amendmentReady),
    amendmentPending: holds(PRECONDITIONS.amendmentPending),
  },
  actions: {
    recordAmendment: assign({
      amendments: ({ context, event }) => {
        assertEvent(event, 'REQUESTS_CHANGED');
        return [
          ...context.amendments,
          {
            requestId: event.requestId,
            change: event.change,
            at: event.at,
            previous: event.previous ?? null,
          },
        ];
      },
    }),
    reduceScope: assign(({ context, event }) => {
      assertEvent(event, 'START_PLAN_B');
      const reduction = event.kind === 'REDUCED_SCOPE' ? event.scopeReduction : null;
      if (!reduction || reduction.droppedDataElements.length === 0) return {};
      const dropped = new Set(reduction.droppedDataElements);
      return {
        specification: context.specification && {
          ...context.specification,
          dataElements: context.specification.dataElements.filter((code) => !dropped.has(code)),
        },
        scopeReduction: {
          droppedDataElements: [...dropped],
          projectIds: [...new Set(reduction.projectIds)],
          responses: {},
          at: event.at,
        },
        droppedDataElements: [...new Set([...context.droppedDataElements, ...dropped])],
      };
    }),
    recordScopeResponse: assign({
      scopeReduction: ({ context, event }) => {
        assertEvent(event, 'RESPOND_TO_SCOPE_REDUCTION');
        if (!context.scopeReduction) return null;
        return {
          ...context.scopeReduction,
          responses: {
            ...context.scopeReduction.responses,
            [event.projectId]: {
              response: event.response,
              comment: event.comment?.trim() || null,
              at: event.at,
            },
          },
        };
      },
    }),
    startAmendedRound: assign(({ context, event }) => {
      assertEvent(event, 'SEND_AMENDMENT');
      return {
        specification: event.specification,
        // Every pending change is in the specification now.
        amendments: [],
        negotiation: nextNegotiationRound(context.negotiation, {
          supplierId: event.supplierId,
          recipientContactIds: event.recipientContactIds,
          replyBy: event.replyBy,
          change: event.change,
        }),
        // A changed specification is a new offer: whatever was proposed or agreed was for the old one.
        proposal: null,
        agreedTerms: null,
        openQuestion: null,
        declineReason: null,
      };
    }),
    dropAmendment: assign({
      amendments: ({ context, event }) => {
        assertEvent(event, 'TURN_DOWN_AMENDMENT');
        return context.amendments.filter((amendment) => amendment.requestId !== event.requestId);
      },
    }),
    storeConsolidation: assign(({ event }) => {
      assertEvent(event, 'CONSOLIDATE');
      // Amendments were changes to a previous consolidation; this one already includes them.
      return { category: event.category, specification: event.specification, amendments: [] };
    }),
    startNegotiationRound: assign(({ context, event }) => {
      assertEvent(event, 'SEND_TO_SUPPLIER');
      return {
        negotiation: nextNegotiationRound(context.negotiation, {
          supplierId: event.supplierId ?? context.supplierId,
          recipientContactIds: event.recipientContactIds,
          replyBy: event.replyBy,
          change: null,
        }),
        // A new round starts from a clean table: nothing proposed, asked, declined or agreed yet.
        proposal: null,
        agreedTerms: null,
        openQuestion: null,
        declineReason: null,
      };
    }),
    startFixRound: assign({
      // Same supplier and terms as agreed; only the round moves on. Without a
      // negotiation (plan B went straight to test) the fix goes to plan B's
      // alternative supplier, or else the source supplier.
      negotiation: ({ context }) =>
        nextNegotiationRound(context.negotiation, {
          supplierId:
            context.negotiation?.supplierId ?? context.planB?.alternativeSupplierId ?? context.supplierId,
          recipientContactIds: context.negotiation?.recipientContactIds ?? [],
          replyBy: null,
          change: null,
        }),
    }),
    storeProposal: assign({
      proposal: ({ event }) => {
        assertEvent(event, ['SUPPLIER_PROPOSES', 'COUNTER_PROPOSAL']);
        return event.terms;
      },
    }),
    agreeOnProposal: assign({ agreedTerms: ({ context }) => context.proposal }),
    // Each time the supplier is asked to answer again (a counter-proposal, an
    // answer to its question) is a new round: new emails, new reply links.
    nextRoundWithSameSupplier: assign({
      negotiation: ({ context }) =>
        context.negotiation
          ? { ...context.negotiation, round: context.negotiation.round + 1, change: null }
          : null,
    }),
    storeQuestion: assign({
      openQuestion: ({ event }) => {
        assertEvent(event, 'SUPPLIER_ASKS');
        return event.question;
      },
    }),
    clearQuestion: assign({ openQuestion: null }),
    storeDeclineReason: assign({
      declineReason: ({ event }) => {
        assertEvent(event, 'SUPPLIER_DECLINES');
        return event.reason;
      },
    }),
    storePlanB: assign({
      planB: ({ event }) => {
        assertEvent(event, 'START_PLAN_B');
        return {
          kind: event.kind,
          description: event.description,
          alternativeSupplierId: event.alternativeSupplierId ?? null,
        };
      },
    }),
    storeTestPlan: assign(({ event }) => {
      assertEvent(event, 'PLAN_TEST');
      // Results belong to the plan they were recorded under.
      return { testPlan: event.plan, testResults: {} };
    }),
    recordTestResult: assign({
      testResults: ({ context, event }) => {
        assertEvent(event, 'RECORD_TEST_RESULT');
        return {
          ...context.testResults,
          [event.projectId]: { outcome: event.outcome, notes: event.notes ?? null, recordedAt: event.at },
        };
      },
    }),
    storeLiveDate: assign({
      liveDate: ({ event }) => {
        assertEvent(event, 'GO_LIVE');
        return event.liveDate;
      },
    }),
    storeHoldReason: assign({
      holdReason: ({ event }) => {
        assertEvent(event, 'PUT_ON_HOLD');
        return event.reason;
      },
    }),
    clearHoldReason: assign({ holdReason: null }),
    markReopenOnResume: assign({ reopenOnResume: true }),
    clearReopenOnResume: assign({ reopenOnResume: false }),
    storeCancelReason: assign({
      cancelReason: ({ event }) => {
        assertEvent(event, 'CANCEL');
        return event.reason;
      },
    }),
  },
}).createMachine({
  id: 'order',
  // xstate's pure transition() builds a throw-away actor without input on every call; without
  // this fallback that costs a thrown and caught TypeError each time. Real orders always start
  // from initialOrderSnapshot, which passes the input.
  context: ({ input }) => initialOrderContext(input ?? { orderId: '', interfaceKey: '', supplierId: '' }),
  initial: 'active',
  states: {
    active: {
      description: 'Before live',
      initial: 'ordered',
      on: {
        // Once the supplier is engaged a changed request is a change to negotiate, not a restart.
        REQUESTS_CHANGED: { actions: 'recordAmendment' },
        // Turning a change down leaves the order where it is; the project is told why.
        TURN_DOWN_AMENDMENT: { guard: 'amendmentPending', actions: 'dropAmendment' },
        // Reviews go into the order's history; the consolidation guard reads their outcome from the facts.
        REVIEW_REQUEST: {},
        // Deadlines live in columns next to the snapshot (they are time, not lifecycle shape);
        // these events put their changes into the order's history.
        EXTEND_DEADLINE: {},
        REMINDER_SENT: {},
        ESCALATE: {},
        PUT_ON_HOLD: { target: 'onHold', actions: 'storeHoldReason' },
        CANCEL: { target: 'cancelled', actions: 'storeCancelReason' },
      },
      states: {
        ordered: {
          description: 'Ordered',
          meta: { ball: 'COORDINATORS' },
          on: {
            // Nothing is consolidated yet, so the next consolidation simply reads the changed request.
            REQUESTS_CHANGED: {},
            CONSOLIDATE: {
              target: 'consolidated',
              guard: 'allActiveRequestsApproved',
              actions: 'storeConsolidation',
            },
          },
        },
        consolidated: {
          description: 'Consolidated',
          meta: { ball: 'NEGOTIATING_PARTY' },
          on: {
            // Not yet sent: reopen, and the next consolidation replaces the specification.
            REQUESTS_CHANGED: { target: 'ordered' },
            SEND_TO_SUPPLIER: {
              target: 'negotiation.awaitingSupplier',
              guard: 'supplierHasContact',
              actions: 'startNegotiationRound',
            },
            START_PLAN_B: START_PLAN_B_TRANSITIONS,
          },
        },
        negotiation: {
          description: 'Supplier negotiation',
          initial: 'awaitingSupplier',
          on: {
            START_PLAN_B: START_PLAN_B_TRANSITIONS,
            SEND_AMENDMENT: SEND_AMENDMENT_TRANSITION,
          },
          states: {
            awaitingSupplier: {
              description: 'Awaiting the supplier',
              meta: { ball: 'SUPPLIER' },
              on: {
                SUPPLIER_ACCEPTS: { target: 'agreed', actions: 'agreeOnProposal' },
                SUPPLIER_PROPOSES: { target: 'proposalReceived', actions: 'storeProposal' },
                SUPPLIER_ASKS: { target: 'clarification', actions: 'storeQuestion' },
                SUPPLIER_DECLINES: { target: 'declined', actions: 'storeDeclineReason' },
                SUPPLIER_WROTE: { target: 'supplierWrote' },
              },
            },
            supplierWrote: {
              // The supplier answered the email in its own words: a coordinator reads it and records
              // it as the answer it is (the same supplier events, on its behalf), or replies.
              description: 'The supplier wrote: decide',
              meta: { ball: 'COORDINATORS' },
              on: {
                SUPPLIER_ACCEPTS: { target: 'agreed', actions: 'agreeOnProposal' },
                SUPPLIER_PROPOSES: { target: 'proposalReceived', actions: 'storeProposal' },
                SUPPLIER_ASKS: { target: 'clarification', actions: 'storeQuestion' },
                SUPPLIER_DECLINES: { target: 'declined', actions: 'storeDeclineReason' },
                // A further email in the same round is recorded; the ball stays with the coordinators.
                SUPPLIER_WROTE: {},
                // Replying asks the supplier again: a new round, as answering a question does.
                ANSWER_SUPPLIER: { target: 'awaitingSupplier', actions: 'nextRoundWithSameSupplier' },
              },
            },
            clarification: {
              description: 'Supplier asked a question',
              meta: { ball: 'NEGOTIATING_PARTY' },
              on: {
                ANSWER_SUPPLIER: {
                  target: 'awaitingSupplier',
                  actions: ['clearQuestion', 'nextRoundWithSameSupplier'],
                },
              },
            },
            proposalReceived: {
              description: 'Supplier proposed terms',
              meta: { ball: 'NEGOTIATING_PARTY' },
              on: {
                ACCEPT_PROPOSAL: { target: 'agreed', actions: 'agreeOnProposal' },
                COUNTER_PROPOSAL: {
                  target: 'awaitingSupplier',
                  actions: ['storeProposal', 'nextRoundWithSameSupplier'],
                },
              },
            },
            declined: {
              description: 'Supplier declined',
              meta: { ball: 'COORDINATORS' },
              on: {
                SEND_TO_SUPPLIER: {
                  target: 'awaitingSupplier',
                  guard: 'supplierHasContact',
                  actions: 'startNegotiationRound',
                },
              },
            },
            agreed: {
              description: 'Agreed with the supplier',
              meta: { ball: 'COORDINATORS' },
              on: {
                PLAN_TEST: {
                  target: '#order.active.test.planning',
                  guard: 'testPlanHasParticipants',
                  actions: 'storeTestPlan',
                },
              },
            },
          },
        },
        scopeAcknowledgement: {
          description: 'Projects acknowledge the reduced scope',
          meta: { ball: 'PROJECT' },
          on: {
            RESPOND_TO_SCOPE_REDUCTION: [
              { target: 'planB', guard: 'lastScopeResponse', actions: 'recordScopeResponse' },
              { guard: 'scopeResponseAwaited', actions: 'recordScopeResponse' },
            ],
          },
        },
        planB: {
          description: 'Plan B',
          meta: { ball: 'COORDINATORS' },
          on: {
            SEND_AMENDMENT: SEND_AMENDMENT_TRANSITION,
            SEND_TO_SUPPLIER: {
              target: 'negotiation.awaitingSupplier',
              guard: 'supplierHasContact',
              actions: 'startNegotiationRound',
            },
            PLAN_TEST: {
              target: 'test.planning',
              guard: 'testPlanHasParticipants',
              actions: 'storeTestPlan',
            },
          },
        },
        test: {
          description: 'Test',
          initial: 'planning',
          on: {
            SEND_AMENDMENT: SEND_AMENDMENT_TRANSITION,
          },
          states: {
            planning: {
              description: 'Planning the test',
              meta: { ball: 'COORDINATORS' },
              on: {
                PLAN_TEST: { guard: 'testPlanHasParticipants', actions: 'storeTestPlan' },
                START_TEST: { target: 'running' },
              },
            },
            running: {
              description: 'Test running',
              meta: { ball: 'TEST_RESPONSIBLE' },
              on: {
                RECORD_TEST_RESULT: { guard: 'resultIsForParticipant', actions: 'recordTestResult' },
                COMPLETE_TEST: { target: 'passed', guard: 'allTestResultsPassed' },
                REQUEST_FIX: {
                  target: '#order.active.negotiation.awaitingSupplier',
                  guard: 'someTestResultFailed',
                  actions: 'startFixRound',
                },
              },
            },
            passed: {
              description: 'Test passed',
              meta: { ball: 'COORDINATORS' },
              on: {
                GO_LIVE: { target: '#order.live', actions: 'storeLiveDate' },
              },
            },
          },
        },
        hist: {
          description: 'Where the order was when put on hold',
          type: 'history',
          history: 'deep',
        },
      },
    },
    onHold: {
      description: 'On hold',
      meta: { ball: 'COORDINATORS' },
      on: {
        RESUME: [
          // A request changed during the hold before the supplier was engaged: reopen, as
          // REQUESTS_CHANGED does in consolidated, so the change is reviewed and consolidated.
          {
            target: 'active.ordered',
            guard: 'reopensOnResume',
            actions: ['clearHoldReason', 'clearReopenOnResume'],
          },
          { target: 'active.hist', actions: 'clearHoldReason' },
        ],
        REQUESTS_CHANGED: [
          // Nothing moves while on hold: the reopening waits for RESUME.
          { guard: 'beforeSupplierEngaged', actions: 'markReopenOnResume' },
          // Once the supplier is engaged it is a change to negotiate, as before the hold.
          { actions: 'recordAmendment' },
        ],
        REVIEW_REQUEST: {},
        CANCEL: { target: 'cancelled', actions: 'storeCancelReason' },
      },
    },
    live: {
      description: 'Live',
      type: 'final',
      meta: { ball: 'NOBODY' },
    },
    cancelled: {
      description: 'Cancelled',
      type: 'final',
      meta: { ball: 'NOBODY' },
    },
  },
});

export type OrderMachine = typeof orderMachine;

export type OrderSnapshot = SnapshotFrom<OrderMachine>;
