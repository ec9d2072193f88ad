import { ApiHarness } from './support/api-harness.js';
import { consolidatedOrder, offeredElements, submit } from './support/flows.js';

let api: ApiHarness;
let coordinator: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api.stop();
});

describe("a mutation's answer shows the state after that mutation, in a document of several", () => {
  it('putOnHold then resumeOrder: the second answer has the RESUME event and its own version', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF1320', ['KY']);
    const data = await api.ok<{
      a: { version: number; history: { type: string }[] };
      b: { version: number; history: { type: string }[] };
    }>(
      coordinator,
      `mutation($id: ID!) {
         a: putOnHold(orderId: $id, reason: "Budget") { version history { type } }
         b: resumeOrder(orderId: $id) { version history { type } }
       }`,
      { id: order.id },
    );
    expect(data.a.version).toBe(order.version + 1);
    expect(data.a.history.at(-1)?.type).toBe('PUT_ON_HOLD');
    expect(data.b.version).toBe(order.version + 2);
    expect(data.b.history.map((event) => event.type).slice(-2)).toEqual(['PUT_ON_HOLD', 'RESUME']);
    expect(data.b.history).toHaveLength(data.b.version);
  });

  it('reviewRequest(APPROVE) then consolidateOrder: the consolidated order lists the request APPROVED', async () => {
    const ky = await api.projectUser('KY');
    const request = await submit(api, ky, {
      interfaceKey: 'SF1390',
      dataElements: (await offeredElements(api, ky, 'SF1390')).slice(0, 1),
    });
    const data = await api.ok<{
      a: { status: string; order: { requests: { status: string }[] } };
      b: { state: string; requests: { id: string; status: string }[] };
    }>(
      coordinator,
      `mutation($r: ID!, $o: ID!) {
         a: reviewRequest(input: { requestId: $r, decision: APPROVE }) { status order { requests { status } } }
         b: consolidateOrder(orderId: $o) { state requests { id status } }
       }`,
      { r: request.id, o: request.order.id },
    );
    expect(data.a.status).toBe('APPROVED');
    expect(data.b.state).toBe('consolidated');
    expect(data.b.requests).toEqual([{ id: request.id, status: 'APPROVED' }]);
  });
});
