import { isLeafNode, pathOfNode } from './machine-walk.js';
import { type OrderSnapshot, orderMachine } from './order.machine.js';
import { type Party, partyForBallRule } from './parties.js';

function leafNodeOf(snapshot: OrderSnapshot) {
  // The machine has no parallel states, so exactly one leaf is active.
  const leaf = snapshot._nodes.find(isLeafNode);
  if (!leaf)
    throw new Error(`Order snapshot has no active leaf state (value ${JSON.stringify(snapshot.value)})`);
  return orderMachine.getStateNodeById(leaf.id);
}

/** The state as a dotted path without the `active.` wrapper, e.g. "negotiation.awaitingSupplier". */
export function statePath(snapshot: OrderSnapshot): string {
  return pathOfNode(leafNodeOf(snapshot));
}

export function ballInCourt(snapshot: OrderSnapshot): Party {
  const leaf = leafNodeOf(snapshot);
  if (!leaf.meta) throw new Error(`State ${pathOfNode(leaf)} does not say who holds the ball`);
  const { context } = snapshot;
  return partyForBallRule(leaf.meta.ball, {
    category: context.category,
    testResponsible: context.testPlan?.responsible ?? null,
  });
}

/** Live or cancelled: nothing more can happen to the order. */
export function isFinal(snapshot: OrderSnapshot): boolean {
  return snapshot.status === 'done';
}
