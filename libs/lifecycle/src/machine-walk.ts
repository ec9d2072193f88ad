import { orderMachine } from './order.machine.js';

export type OrderStateNode = typeof orderMachine.root;

/** The top-level state that wraps everything before live, so one deep history state can restore any of it. */
export const ACTIVE_WRAPPER_KEY = 'active';

/**
 * A state node's path as the rest of snitflow spells it: dotted, without the
 * `active.` wrapper, which is an implementation detail of hold and resume
 * ("negotiation.awaitingSupplier", "onHold"). The wrapper itself is "active".
 */
export function pathOfNode(node: { path: readonly string[] }): string {
  const [first, ...rest] = node.path;
  if (first === ACTIVE_WRAPPER_KEY) return rest.length > 0 ? rest.join('.') : ACTIVE_WRAPPER_KEY;
  return node.path.join('.');
}

export function childNodes(node: OrderStateNode): OrderStateNode[] {
  return Object.values(node.states);
}

/** Every state node below the root, depth first, in the order the machine defines them. */
export function allStateNodes(from: OrderStateNode = orderMachine.root): OrderStateNode[] {
  return childNodes(from).flatMap((child) => [child, ...allStateNodes(child)]);
}

export function isLeafNode(node: { type: string }): boolean {
  return node.type === 'atomic' || node.type === 'final';
}

/** Every state an order can rest in, as statePath spells them. */
export const LEAF_STATE_PATHS: readonly string[] = allStateNodes().filter(isLeafNode).map(pathOfNode);
