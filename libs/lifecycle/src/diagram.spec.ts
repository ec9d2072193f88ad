import { orderMachineDiagram } from './diagram.js';
import { orderMachine } from './order.machine.js';

// The test walks the machine itself rather than reusing the diagram's walker, so a walker bug cannot hide.
interface WalkedNode {
  id: string;
  type: string;
  parentId: string | null;
}

function walk(node: typeof orderMachine.root, parentId: string | null): WalkedNode[] {
  return Object.values(node.states).flatMap((child) => {
    const id = child.path
      .filter((key, index) => !(index === 0 && key === 'active' && child.path.length > 1))
      .join('_');
    return [{ id, type: child.type, parentId }, ...walk(child, id)];
  });
}

const STATES = walk(orderMachine.root, null);

function eventTypesOf(node: typeof orderMachine.root): string[] {
  return [...node.transitions.keys(), ...Object.values(node.states).flatMap((child) => eventTypesOf(child))];
}

const EVENT_TYPES = [...new Set(eventTypesOf(orderMachine.root))];

describe('orderMachineDiagram', () => {
  const diagram = orderMachineDiagram();
  const lines = diagram.split('\n').map((line) => line.trim());

  it('is a Mermaid state diagram', () => {
    expect(lines[0]).toBe('stateDiagram-v2');
  });

  it('finds the states and events of the machine to check against', () => {
    expect(STATES.map((state) => state.id)).toEqual([
      'active',
      'ordered',
      'consolidated',
      'negotiation',
      'negotiation_awaitingSupplier',
      'negotiation_supplierWrote',
      'negotiation_clarification',
      'negotiation_proposalReceived',
      'negotiation_declined',
      'negotiation_agreed',
      'scopeAcknowledgement',
      'planB',
      'test',
      'test_planning',
      'test_running',
      'test_passed',
      'hist',
      'onHold',
      'live',
      'cancelled',
    ]);
    expect(EVENT_TYPES).toHaveLength(28);
  });

  it.each(STATES)('declares $id exactly once', ({ id }) => {
    const declarations = lines.filter((line) => line.match(new RegExp(`^state ".+" as ${id}( \\{)?$`)));
    expect(declarations).toHaveLength(1);
  });

  it.each(STATES.filter((state) => state.type === 'compound'))('draws $id as a composite state', ({ id }) => {
    expect(lines.some((line) => line.match(new RegExp(`^state ".+" as ${id} \\{$`)))).toBe(true);
  });

  it.each(STATES.filter((state) => state.parentId !== null))(
    'nests $id inside $parentId',
    ({ id, parentId }) => {
      const open = lines.findIndex((line) => line.endsWith(` as ${parentId} {`));
      const declaration = lines.findIndex((line) => line.match(new RegExp(`^state ".+" as ${id}( \\{)?$`)));
      let depth = 0;
      let closing = -1;
      for (let index = open; index < lines.length; index++) {
        const line = lines[index] ?? '';
        if (line.endsWith('{')) depth++;
        if (line === '}') depth--;
        if (depth === 0) {
          closing = index;
          break;
        }
      }
      expect(open).toBeGreaterThanOrEqual(0);
      expect(declaration).toBeGreaterThan(open);
      expect(declaration).toBeLessThan(closing);
    },
  );

  it.each(EVENT_TYPES)('labels an edge with %s', (eventType) => {
    expect(lines.some((line) => line.match(new RegExp(`^\\w+ --> \\w+ : ${eventType}( \\[\\w+\\])?$`)))).toBe(
      true,
    );
  });

  it('marks the initial state of the machine and of every composite state', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        '[*] --> active',
        '[*] --> ordered',
        '[*] --> negotiation_awaitingSupplier',
        '[*] --> test_planning',
      ]),
    );
  });

  it('marks the final states', () => {
    expect(lines).toEqual(expect.arrayContaining(['live --> [*]', 'cancelled --> [*]']));
    expect(lines.filter((line) => line.endsWith('--> [*]'))).toHaveLength(2);
  });

  it('shows the deep history state and resuming into it', () => {
    expect(lines).toContain('state "H* Where the order was when put on hold" as hist');
    expect(lines).toContain('onHold --> hist : RESUME');
  });

  it('shows that a request changed on hold before the supplier was engaged reopens the order on resume', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        'onHold --> onHold : REQUESTS_CHANGED [beforeSupplierEngaged]',
        'onHold --> onHold : REQUESTS_CHANGED',
        'onHold --> ordered : RESUME [reopensOnResume]',
      ]),
    );
  });

  it('shows transitions across composite states, with their guards', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        'ordered --> consolidated : CONSOLIDATE [allActiveRequestsApproved]',
        'negotiation_agreed --> test_planning : PLAN_TEST [testPlanHasParticipants]',
        'test_running --> negotiation_awaitingSupplier : REQUEST_FIX [someTestResultFailed]',
        'test_passed --> live : GO_LIVE',
        'active --> onHold : PUT_ON_HOLD',
        'negotiation --> planB : START_PLAN_B',
      ]),
    );
  });

  it('draws transitions that stay in their state as loops', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        'test_running --> test_running : RECORD_TEST_RESULT [resultIsForParticipant]',
        'ordered --> ordered : REQUESTS_CHANGED',
        'active --> active : REQUESTS_CHANGED',
      ]),
    );
  });

  it('highlights nothing unless asked', () => {
    expect(diagram).not.toContain('classDef');
    expect(diagram).not.toMatch(/^\s*class /m);
  });

  it('highlights a nested state and, more lightly, its parents', () => {
    const highlighted = orderMachineDiagram({ highlightStatePath: 'negotiation.proposalReceived' }).split(
      '\n',
    );
    expect(highlighted.map((line) => line.trim())).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^classDef currentState /),
        expect.stringMatching(/^classDef currentParent /),
        'class negotiation_proposalReceived currentState',
        'class active,negotiation currentParent',
      ]),
    );
    expect(highlighted.slice(0, lines.length - 1)).toEqual(diagram.split('\n').slice(0, lines.length - 1));
  });

  it('highlights a top-level state without parents', () => {
    const highlighted = orderMachineDiagram({ highlightStatePath: 'onHold' });
    expect(highlighted).toContain('class onHold currentState');
    expect(highlighted).not.toContain('currentParent\n');
    expect(highlighted).not.toMatch(/class .* currentParent/);
  });

  it('refuses to highlight a state the machine does not have', () => {
    expect(() => orderMachineDiagram({ highlightStatePath: 'negotiation.waiting' })).toThrow(
      /^Cannot highlight unknown state "negotiation.waiting" \(states: ordered, consolidated, /,
    );
  });

  it('is deterministic', () => {
    expect(orderMachineDiagram()).toBe(diagram);
    expect(orderMachineDiagram({ highlightStatePath: 'test.running' })).toBe(
      orderMachineDiagram({ highlightStatePath: 'test.running' }),
    );
  });
});
