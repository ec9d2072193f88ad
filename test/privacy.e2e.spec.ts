import { randomUUID } from 'node:crypto';
import { ApiHarness } from './support/api-harness.js';
import {
  consolidatedOrder,
  daysFromNow,
  offeredElements,
  orderOps,
  review,
  submit,
} from './support/flows.js';
import { type FullType, namedType, printType, schemaTypes, type TypeRef } from './support/schema-walk.js';

/**
 * A project sees what concerns its own requests, nothing else: anything else is NOT_FOUND
 * (before any state or role check) or absent. KSD's token is turned on KY's data.
 */

let api: ApiHarness;
let coordinator: string;
let ky: string;
let ksd: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
  ky = await api.projectUser('KY');
  ksd = await api.projectUser('KSD');
});

afterAll(async () => {
  await api.stop();
});

describe("a project token against another project's data", () => {
  it('every operation answers a foreign id exactly as an id that does not exist', async () => {
    // KY's own order (KSD never requested it), consolidated, and KY's request on it.
    const foreign = await consolidatedOrder(api, coordinator, 'SF0741', ['KY']);
    const foreignRequestId = foreign.specification?.requestIds[0] as string;
    const foreignIds: Record<string, string> = {
      order: foreign.id,
      request: foreignRequestId,
      project: api.ids.projects.KY,
    };
    const kindOf = (field: string, path: string): keyof typeof foreignIds | null => {
      const name =
        path
          .split('.')
          .at(-1)
          ?.replace(/\[\d+\]$/, '') ?? '';
      if (name === 'orderId' || (name === 'id' && field === 'order')) return 'order';
      if (name === 'requestId' || (name === 'id' && field === 'request')) return 'request';
      if (/^(projectId|participantProjectIds)$/.test(name)) return 'project';
      return null;
    };

    const { types } = schemaTypes(api);
    const plausible = (
      ref: TypeRef,
      field: string,
      path: string,
      pick: (kind: string) => string,
    ): unknown => {
      if (ref.kind === 'NON_NULL') return plausible(ref.ofType as TypeRef, field, path, pick);
      if (ref.kind === 'LIST') return [plausible(ref.ofType as TypeRef, field, `${path}[0]`, pick)];
      const type = types.get(ref.name as string) as FullType;
      if (type.kind === 'ENUM') return type.enumValues?.[0]?.name;
      if (type.kind === 'INPUT_OBJECT') {
        return Object.fromEntries(
          (type.inputFields ?? []).map((input) => [
            input.name,
            plausible(input.type, field, `${path}.${input.name}`, pick),
          ]),
        );
      }
      const name =
        path
          .split('.')
          .at(-1)
          ?.replace(/\[\d+\]$/, '') ?? '';
      switch (type.name) {
        case 'ID': {
          const kind = kindOf(field, path);
          return kind ? pick(kind) : randomUUID();
        }
        case 'Int':
          return name === 'year' ? new Date().getUTCFullYear() : 1;
        case 'Boolean':
          return true;
        case 'Date':
          return daysFromNow(30);
        case 'BigInt':
          return '100';
        default:
          if (name === 'interfaceKey') return 'SF0741';
          if (/dataElements$/i.test(name)) return 'CPR.NAVN';
          return 'text';
      }
    };
    const outcome = (response: Awaited<ReturnType<ApiHarness['graphql']>>) => ({
      code: response.errors?.[0]?.extensions?.code ?? null,
      keys: Object.keys(response.errors?.[0]?.extensions ?? {})
        .filter((key) => key !== 'id')
        .sort(),
      data: JSON.stringify(response.data),
    });

    const walked: string[] = [];
    const differences: string[] = [];
    for (const root of ['Query', 'Mutation'] as const) {
      for (const field of types.get(root)?.fields ?? []) {
        const ids: string[] = [];
        const collect = (ref: TypeRef, path: string, depth: number) => {
          const type = types.get(namedType(ref).name as string) as FullType;
          if (type.name === 'ID' && kindOf(field.name, path)) ids.push(path);
          if (type.kind === 'INPUT_OBJECT' && depth < 3)
            for (const input of type.inputFields ?? [])
              collect(input.type, `${path}.${input.name}`, depth + 1);
        };
        for (const arg of field.args) collect(arg.type, arg.name, 0);
        if (ids.length === 0) continue;
        walked.push(`${root}.${field.name}`);
        const returned = types.get(namedType(field.type).name as string) as FullType;
        const selection = returned.kind === 'OBJECT' ? '{ __typename }' : '';
        const signature = field.args.map((arg) => `$${arg.name}: ${printType(arg.type)}`).join(', ');
        const call = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
        const document = `${root === 'Query' ? 'query' : 'mutation'}(${signature}) { ${field.name}(${call}) ${selection} }`;
        const variables = (pick: (kind: string) => string) =>
          Object.fromEntries(
            field.args.map((arg) => [arg.name, plausible(arg.type, field.name, arg.name, pick)]),
          );
        const before = await api.rowCounts();
        const theirs = outcome(
          await api.graphql(
            ksd,
            document,
            variables((kind) => foreignIds[kind] as string),
          ),
        );
        const unknown = outcome(
          await api.graphql(
            ksd,
            document,
            variables(() => randomUUID()),
          ),
        );
        expect(await api.rowCounts()).toEqual(before);
        if (JSON.stringify(theirs) !== JSON.stringify(unknown)) {
          differences.push(
            `${root}.${field.name}: theirs ${JSON.stringify(theirs)} vs unknown ${JSON.stringify(unknown)}`,
          );
        }
      }
    }
    expect(differences).toEqual([]);
    // The walk reached the operations a project token can call with an id.
    expect(walked).toEqual(
      expect.arrayContaining([
        'Query.order',
        'Query.request',
        'Query.machineDiagram',
        'Mutation.recordTestResult',
        'Mutation.updateRequest',
        'Mutation.withdrawRequest',
        'Mutation.setProjectContact',
      ]),
    );
  });

  it('recordTestResult on an order the project may not see is NOT_FOUND, not INVALID_TRANSITION with its state', async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF0770', ['KY']);
    const response = await api.graphql(
      ksd,
      'mutation($id: ID!) { recordTestResult(orderId: $id, input: { outcome: PASSED }) { id } }',
      { id: order.id },
    );
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', id: order.id });
    expect(JSON.stringify(response)).not.toMatch(/consolidated|allowedEvents/);
  });

  it("history shows another project's review and request events without payload or actor", async () => {
    const elements = (await offeredElements(api, ky, 'SF0780')).slice(0, 1);
    const kyRequest = await submit(api, ky, { interfaceKey: 'SF0780', dataElements: elements });
    await review(api, coordinator, kyRequest.id, 'REJECT', 'KY asked for the wrong register');
    const ksdRequest = await submit(api, ksd, { interfaceKey: 'SF0780', dataElements: elements });
    await review(api, coordinator, ksdRequest.id, 'REQUEST_CHANGES', 'KSD: say why');
    type Event = {
      type: string;
      payload: string;
      actorId: string;
      actorName: string | null;
      redacted: boolean;
    };
    const seen = await api.ok<{ order: { history: Event[] } }>(
      ksd,
      'query($id: ID!) { order(id: $id) { history { type payload actorId actorName redacted } } }',
      { id: kyRequest.order.id },
    );
    const text = JSON.stringify(seen);
    expect(text).not.toContain('wrong register');
    expect(text).not.toContain(kyRequest.id);
    expect(text).not.toContain('KY@project.example');
    expect(text).toContain('KSD: say why');
    const redacted = seen.order.history.filter((event) => event.redacted);
    expect(redacted.map((event) => event.type)).toEqual(['REQUESTS_CHANGED', 'REVIEW_REQUEST']);
    expect(redacted.every((event) => event.payload === '{}' && event.actorId === '')).toBe(true);
    // Coordinators see everything.
    const all = await api.ok<{ order: { history: Event[] } }>(
      coordinator,
      'query($id: ID!) { order(id: $id) { history { type payload redacted } } }',
      { id: kyRequest.order.id },
    );
    expect(JSON.stringify(all)).toContain('wrong register');
    expect(all.order.history.some((event) => event.redacted)).toBe(false);
  });

  it("interfaceMatrix lists other projects without their mailbox; a project's own is shown", async () => {
    type Mark = {
      project: { id: string; code: string; contactEmail: string | null; contactName: string | null };
    };
    const matrix = await api.ok<{ interfaceMatrix: { marks: Mark[] }[] }>(
      ksd,
      '{ interfaceMatrix { marks { project { id code contactEmail contactName } } } }',
    );
    const projects = matrix.interfaceMatrix.flatMap((row) => row.marks.map((mark) => mark.project));
    expect(
      projects
        .filter((project) => project.code !== 'KSD')
        .every((p) => p.contactEmail === null && p.contactName === null),
    ).toBe(true);
    expect(projects.find((project) => project.code === 'KSD')?.contactEmail).toMatch(/@/);
    const asCoordinator = await api.ok<{ interfaceMatrix: { marks: Mark[] }[] }>(
      coordinator,
      '{ interfaceMatrix { marks { project { code contactEmail } } } }',
    );
    const ky = asCoordinator.interfaceMatrix[0]?.marks.find((mark) => mark.project.code === 'KY');
    expect(ky?.project.contactEmail).toMatch(/@/);
  });

  it("test results: a project sees its own, not another project's outcome and notes", async () => {
    const order = await consolidatedOrder(api, coordinator, 'SF1180', ['KY', 'KSD']);
    await orderOps.send(api, coordinator, order.id);
    await orderOps.supplier(api, coordinator, order.id, { kind: 'ACCEPT' });
    await orderOps.planTest(api, coordinator, order.id, [api.ids.projects.KY, api.ids.projects.KSD]);
    await orderOps.startTest(api, coordinator, order.id);
    await orderOps.result(api, ky, order.id, { outcome: 'FAILED', notes: 'KY: timeouts in production' });
    await orderOps.result(api, ksd, order.id, { outcome: 'PASSED' });
    const seen = await api.ok<{
      order: { testResults: { projectId: string }[]; history: { payload: string }[] };
    }>(ksd, 'query($id: ID!) { order(id: $id) { testResults { projectId } history { payload } } }', {
      id: order.id,
    });
    expect(seen.order.testResults).toEqual([{ projectId: api.ids.projects.KSD }]);
    expect(JSON.stringify(seen)).not.toContain('timeouts');
  });
});
