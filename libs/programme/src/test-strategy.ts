/**
 * The test strategy across orders: the deck's open questions ("Teststrategi påbegyndt") answered
 * for the whole programme — which interfaces more than one project tests (and whether one shared
 * test would do), which orders in or near test have nobody responsible, which test windows of one
 * project overlap, and each project's test load per month. Pure.
 */

export interface TestPlanFacts {
  responsible: string;
  mode: 'SHARED' | 'PER_PROJECT';
  participantProjectIds: readonly string[];
  /** YYYY-MM-DD, inclusive. */
  windowStart: string;
  windowEnd: string;
}

export interface OrderTestFacts {
  orderId: string;
  interfaceKey: string;
  state: string;
  testPlan: TestPlanFacts | null;
  /** The data elements each project's active request asks for, by project id. */
  elementsByProject: ReadonlyMap<string, readonly string[]>;
}

/** States from which the next step is planning the test: nobody is named to test yet. */
export const NEAR_TEST_STATES: ReadonlySet<string> = new Set(['negotiation.agreed', 'planB']);
/** States with a test plan that is still ahead or under way. */
export const OPEN_TEST_STATES: ReadonlySet<string> = new Set(['test.planning', 'test.running']);

export interface SharedTestCandidate {
  orderId: string;
  interfaceKey: string;
  state: string;
  /** The projects that test it: the plan's participants, or before a plan every requesting project. */
  projectIds: string[];
  /** The plan's mode; null before a plan. */
  mode: 'SHARED' | 'PER_PROJECT' | null;
  /**
   * One shared test would do: every one of these projects asks for the same data elements, so a
   * single test of the one web service covers each project's use. False when their elements
   * differ (then `differingElements` lists the elements not every project asks for).
   */
  sharedTestWouldDo: boolean;
  differingElements: string[];
}

export interface UnownedTest {
  orderId: string;
  interfaceKey: string;
  state: string;
}

export interface OverlappingWindows {
  projectId: string;
  first: { orderId: string; interfaceKey: string; windowStart: string; windowEnd: string };
  second: { orderId: string; interfaceKey: string; windowStart: string; windowEnd: string };
  /** The days both windows share, inclusive. */
  overlapStart: string;
  overlapEnd: string;
}

export interface MonthlyTestLoad {
  projectId: string;
  /** YYYY-MM. */
  month: string;
  /** Test windows of this project's that touch the month. */
  tests: number;
  interfaceKeys: string[];
}

export interface TestStrategy {
  testedByMoreThanOneProject: SharedTestCandidate[];
  nearTestWithoutResponsible: UnownedTest[];
  overlappingWindows: OverlappingWindows[];
  loadPerMonth: MonthlyTestLoad[];
}

const DONE_STATES: ReadonlySet<string> = new Set(['live', 'cancelled', 'test.passed']);

/** ISO dates compare as strings. */
const laterDate = (a: string, b: string): string => (a >= b ? a : b);
const earlierDate = (a: string, b: string): string => (a <= b ? a : b);

function monthsBetween(start: string, end: string): string[] {
  const months: string[] = [];
  let year = Number(start.slice(0, 4));
  let month = Number(start.slice(5, 7));
  const last = end.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    months.push(key);
    if (key >= last) return months;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}

/**
 * Computes the programme's test strategy from every order's test facts. Orders live, cancelled
 * or with a passed test are done testing and left out; on-hold orders are left out of the
 * near-test list (nobody acts while on hold) but their plans still count for load and overlaps.
 */
export function testStrategy(orders: readonly OrderTestFacts[]): TestStrategy {
  const active = orders.filter((order) => !DONE_STATES.has(order.state));
  const byKey = (a: { interfaceKey: string }, b: { interfaceKey: string }) =>
    a.interfaceKey.localeCompare(b.interfaceKey);

  const testedByMoreThanOneProject: SharedTestCandidate[] = [];
  for (const order of active) {
    const projectIds = [
      ...(order.testPlan?.participantProjectIds ?? [...order.elementsByProject.keys()]),
    ].sort();
    if (projectIds.length < 2) continue;
    const sets = projectIds.map((projectId) => new Set(order.elementsByProject.get(projectId) ?? []));
    const union = new Set(sets.flatMap((set) => [...set]));
    const differingElements = [...union].filter((element) => sets.some((set) => !set.has(element))).sort();
    testedByMoreThanOneProject.push({
      orderId: order.orderId,
      interfaceKey: order.interfaceKey,
      state: order.state,
      projectIds,
      mode: order.testPlan?.mode ?? null,
      sharedTestWouldDo: differingElements.length === 0,
      differingElements,
    });
  }

  const nearTestWithoutResponsible = active
    .filter((order) => NEAR_TEST_STATES.has(order.state) && !order.testPlan?.responsible)
    .map(({ orderId, interfaceKey, state }) => ({ orderId, interfaceKey, state }))
    .sort(byKey);

  const planned = active.filter(
    (order): order is OrderTestFacts & { testPlan: TestPlanFacts } => order.testPlan !== null,
  );
  const windowsByProject = new Map<string, (OrderTestFacts & { testPlan: TestPlanFacts })[]>();
  for (const order of planned) {
    for (const projectId of order.testPlan.participantProjectIds) {
      const list = windowsByProject.get(projectId) ?? [];
      list.push(order);
      windowsByProject.set(projectId, list);
    }
  }

  const overlappingWindows: OverlappingWindows[] = [];
  const loadPerMonth: MonthlyTestLoad[] = [];
  for (const [projectId, list] of [...windowsByProject].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...list].sort(
      (a, b) => a.testPlan.windowStart.localeCompare(b.testPlan.windowStart) || byKey(a, b),
    );
    sorted.forEach((first, i) => {
      for (const second of sorted.slice(i + 1)) {
        const overlapStart = laterDate(first.testPlan.windowStart, second.testPlan.windowStart);
        const overlapEnd = earlierDate(first.testPlan.windowEnd, second.testPlan.windowEnd);
        if (overlapStart > overlapEnd) continue;
        const window = (order: typeof first) => ({
          orderId: order.orderId,
          interfaceKey: order.interfaceKey,
          windowStart: order.testPlan.windowStart,
          windowEnd: order.testPlan.windowEnd,
        });
        overlappingWindows.push({
          projectId,
          first: window(first),
          second: window(second),
          overlapStart,
          overlapEnd,
        });
      }
    });
    const months = new Map<string, string[]>();
    for (const order of sorted) {
      for (const month of monthsBetween(order.testPlan.windowStart, order.testPlan.windowEnd)) {
        months.set(month, [...(months.get(month) ?? []), order.interfaceKey]);
      }
    }
    for (const [month, keys] of [...months].sort(([a], [b]) => a.localeCompare(b))) {
      loadPerMonth.push({ projectId, month, tests: keys.length, interfaceKeys: [...keys].sort() });
    }
  }

  return {
    testedByMoreThanOneProject: testedByMoreThanOneProject.sort(byKey),
    nearTestWithoutResponsible,
    overlappingWindows,
    loadPerMonth,
  };
}
