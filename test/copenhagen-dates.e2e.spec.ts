import { ManualClock } from '@snitflow/common';
import { ApiHarness } from './support/api-harness.js';
import { offeredElements } from './support/flows.js';

// 23:30 UTC on 26 November is 00:30 on 27 November in Copenhagen: "today" is the 27th.
const clock = new ManualClock(new Date('2026-11-26T23:30:00.000Z'));
let api: ApiHarness;
let coordinator: string;

beforeAll(async () => {
  api = await ApiHarness.start({}, { clock });
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api?.stop();
});

describe('dates are Danish dates', () => {
  it("refuses a need-by date that is still today in UTC but yesterday in Copenhagen, and takes Copenhagen's today", async () => {
    const dataElements = (await offeredElements(api, coordinator, 'SF1320')).slice(0, 1);
    const submit = (needBy: string) =>
      api.graphql(
        coordinator,
        'mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { needBy } }',
        {
          input: {
            interfaceKey: 'SF1320',
            projectId: api.ids.projects.KY,
            dataElements,
            needBy,
            justification: 'Needed for case handling',
            tenderReference: 'Bilag 3',
          },
        },
      );
    const yesterday = await submit('2026-11-26');
    expect(yesterday.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(yesterday.errors?.[0]?.message).toContain('in the past');
    const today = await submit('2026-11-27');
    expect(today.errors).toBeUndefined();
  });
});
