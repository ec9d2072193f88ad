import type { ApiHarness } from './api-harness.js';

export const ORDER_FIELDS = `
  id reference state version category ballInCourt allowedEvents machineVersion
  responsibleParties { negotiates buys pays }
  specification { dataElements needBy projectIds requestIds }
  negotiation { round supplierId recipientContactIds replyBy }
  proposal { priceOere deliveryDate conditions }
  agreedTerms { priceOere deliveryDate conditions }
  openQuestion declineReason holdReason cancelReason liveDate
  planB { kind description alternativeSupplierId }
  testPlan { responsible mode participantProjectIds windowStart windowEnd }
  testResults { projectId outcome notes }
  amendments { requestId change }
`;

export const REQUEST_FIELDS = `
  id status version dataElements unofferedDataElements needBy firmness reviewComment
  order { id state version }
  project { code }
  interface { key }
`;

export interface OrderView {
  id: string;
  reference: string;
  state: string;
  version: number;
  category: string | null;
  ballInCourt: string;
  allowedEvents: string[];
  machineVersion: number;
  responsibleParties: { negotiates: string; buys: string; pays: string } | null;
  specification: {
    dataElements: string[];
    needBy: string;
    projectIds: string[];
    requestIds: string[];
  } | null;
  negotiation: {
    round: number;
    supplierId: string;
    recipientContactIds: string[];
    replyBy: string | null;
  } | null;
  proposal: { priceOere: string | null; deliveryDate: string | null; conditions: string | null } | null;
  agreedTerms: { priceOere: string | null; deliveryDate: string | null; conditions: string | null } | null;
  openQuestion: string | null;
  declineReason: string | null;
  holdReason: string | null;
  cancelReason: string | null;
  liveDate: string | null;
  planB: { kind: string; description: string; alternativeSupplierId: string | null } | null;
  testPlan: { responsible: string; mode: string; participantProjectIds: string[] } | null;
  testResults: { projectId: string; outcome: string; notes: string | null }[];
  amendments: { requestId: string; change: string }[];
}

export interface RequestView {
  id: string;
  status: string;
  version: number;
  dataElements: string[];
  unofferedDataElements: string[];
  needBy: string;
  firmness: string;
  reviewComment: string | null;
  order: { id: string; state: string; version: number };
  project: { code: string };
  interface: { key: string };
}

/** A date this many days from today, as YYYY-MM-DD. */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export async function offeredElements(api: ApiHarness, token: string, key: string): Promise<string[]> {
  const data = await api.ok<{ interface: { dataElements: { code: string }[] } }>(
    token,
    'query($key: String!) { interface(key: $key) { dataElements { code } } }',
    { key },
  );
  return data.interface.dataElements.map((element) => element.code);
}

export async function submit(
  api: ApiHarness,
  token: string,
  input: {
    interfaceKey: string;
    dataElements: string[];
    needBy?: string;
    projectId?: string;
    firmness?: string;
  },
): Promise<RequestView> {
  const data = await api.ok<{ submitRequest: RequestView }>(
    token,
    `mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { ${REQUEST_FIELDS} } }`,
    {
      input: {
        needBy: daysFromNow(90),
        justification: 'Needed for case handling',
        tenderReference: 'Udbudsmateriale bilag 3, afsnit 4.2',
        ...input,
      },
    },
  );
  return data.submitRequest;
}

export async function review(
  api: ApiHarness,
  token: string,
  requestId: string,
  decision: 'APPROVE' | 'REQUEST_CHANGES' | 'REJECT',
  comment?: string,
): Promise<RequestView> {
  const data = await api.ok<{ reviewRequest: RequestView }>(
    token,
    `mutation($input: ReviewRequestInput!) { reviewRequest(input: $input) { ${REQUEST_FIELDS} } }`,
    { input: { requestId, decision, comment } },
  );
  return data.reviewRequest;
}

export async function getOrder(api: ApiHarness, token: string, id: string): Promise<OrderView> {
  const data = await api.ok<{ order: OrderView }>(
    token,
    `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`,
    {
      id,
    },
  );
  return data.order;
}

/** Calls an order mutation by name and returns the order. */
export async function act(
  api: ApiHarness,
  token: string,
  mutation: string,
  variables: Record<string, unknown>,
  signature: string,
  args: string,
): Promise<OrderView> {
  const data = await api.ok<Record<string, OrderView>>(
    token,
    `mutation(${signature}) { result: ${mutation}(${args}) { ${ORDER_FIELDS} } }`,
    variables,
  );
  const order = data.result;
  if (!order) throw new Error(`${mutation} returned nothing`);
  return order;
}

/** The common order mutations with their contract signatures. */
export const orderOps = {
  consolidate: (api: ApiHarness, token: string, orderId: string, category?: string) =>
    act(
      api,
      token,
      'consolidateOrder',
      { orderId, category },
      '$orderId: ID!, $category: OrderCategory',
      'orderId: $orderId, category: $category',
    ),
  send: (api: ApiHarness, token: string, orderId: string, input: Record<string, unknown> = {}) =>
    act(
      api,
      token,
      'sendToSupplier',
      { orderId, input },
      '$orderId: ID!, $input: SendToSupplierInput',
      'orderId: $orderId, input: $input',
    ),
  supplier: (api: ApiHarness, token: string, orderId: string, input: Record<string, unknown>) =>
    act(
      api,
      token,
      'recordSupplierResponse',
      { orderId, input },
      '$orderId: ID!, $input: SupplierResponseInput!',
      'orderId: $orderId, input: $input',
    ),
  answer: (api: ApiHarness, token: string, orderId: string, answer: string) =>
    act(
      api,
      token,
      'answerSupplier',
      { orderId, input: { answer } },
      '$orderId: ID!, $input: AnswerSupplierInput!',
      'orderId: $orderId, input: $input',
    ),
  accept: (api: ApiHarness, token: string, orderId: string) =>
    act(api, token, 'acceptProposal', { orderId }, '$orderId: ID!', 'orderId: $orderId'),
  counter: (api: ApiHarness, token: string, orderId: string, terms: Record<string, unknown>) =>
    act(
      api,
      token,
      'counterProposal',
      { orderId, input: { terms } },
      '$orderId: ID!, $input: CounterProposalInput!',
      'orderId: $orderId, input: $input',
    ),
  planB: (api: ApiHarness, token: string, orderId: string, input: Record<string, unknown>) =>
    act(
      api,
      token,
      'startPlanB',
      { orderId, input },
      '$orderId: ID!, $input: StartPlanBInput!',
      'orderId: $orderId, input: $input',
    ),
  planTest: (api: ApiHarness, token: string, orderId: string, participantProjectIds: string[]) =>
    act(
      api,
      token,
      'planTest',
      {
        orderId,
        input: {
          responsible: 'KOMBIT',
          mode: 'SHARED',
          participantProjectIds,
          windowStart: daysFromNow(30),
          windowEnd: daysFromNow(44),
        },
      },
      '$orderId: ID!, $input: PlanTestInput!',
      'orderId: $orderId, input: $input',
    ),
  startTest: (api: ApiHarness, token: string, orderId: string) =>
    act(api, token, 'startTest', { orderId }, '$orderId: ID!', 'orderId: $orderId'),
  result: (api: ApiHarness, token: string, orderId: string, input: Record<string, unknown>) =>
    act(
      api,
      token,
      'recordTestResult',
      { orderId, input },
      '$orderId: ID!, $input: RecordTestResultInput!',
      'orderId: $orderId, input: $input',
    ),
  completeTest: (api: ApiHarness, token: string, orderId: string) =>
    act(api, token, 'completeTest', { orderId }, '$orderId: ID!', 'orderId: $orderId'),
  requestFix: (api: ApiHarness, token: string, orderId: string, description: string) =>
    act(
      api,
      token,
      'requestFix',
      { orderId, input: { description } },
      '$orderId: ID!, $input: RequestFixInput!',
      'orderId: $orderId, input: $input',
    ),
  goLive: (api: ApiHarness, token: string, orderId: string, liveDate: string) =>
    act(
      api,
      token,
      'goLive',
      { orderId, input: { liveDate } },
      '$orderId: ID!, $input: GoLiveInput!',
      'orderId: $orderId, input: $input',
    ),
  hold: (api: ApiHarness, token: string, orderId: string, reason: string) =>
    act(
      api,
      token,
      'putOnHold',
      { orderId, reason },
      '$orderId: ID!, $reason: String!',
      'orderId: $orderId, reason: $reason',
    ),
  resume: (api: ApiHarness, token: string, orderId: string) =>
    act(api, token, 'resumeOrder', { orderId }, '$orderId: ID!', 'orderId: $orderId'),
  cancel: (api: ApiHarness, token: string, orderId: string, reason: string) =>
    act(
      api,
      token,
      'cancelOrder',
      { orderId, reason },
      '$orderId: ID!, $reason: String!',
      'orderId: $orderId, reason: $reason',
    ),
};

/** Submit + approve one request per project, then consolidate: an order ready to send. */
export async function consolidatedOrder(
  api: ApiHarness,
  coordinator: string,
  interfaceKey: string,
  projects: (keyof ApiHarness['ids']['projects'])[],
): Promise<OrderView> {
  const elements = await offeredElements(api, coordinator, interfaceKey);
  let orderId = '';
  for (const [index, project] of projects.entries()) {
    const request = await submit(api, coordinator, {
      interfaceKey,
      projectId: api.ids.projects[project],
      dataElements: elements.slice(0, Math.min(elements.length, index + 1)),
    });
    await review(api, coordinator, request.id, 'APPROVE');
    orderId = request.order.id;
  }
  return orderOps.consolidate(api, coordinator, orderId);
}

/**
 * Waits until the project notices written so far (a request approved, an order consolidated …)
 * are no longer PENDING: they go out after their transaction commits, so a test that counts the
 * emails of its next step must let the earlier ones land first, or one of them arrives among its own.
 */
export async function projectNoticesSettled(api: ApiHarness, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await api.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox_email WHERE template = 'PROJECT_UPDATE' AND status = 'PENDING'",
    );
    if ((pending.rows[0]?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error('project notices still PENDING after the wait');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
