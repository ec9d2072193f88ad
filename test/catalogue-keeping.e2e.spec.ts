import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiHarness } from './support/api-harness.js';
import {
  consolidatedOrder,
  getOrder,
  offeredElements,
  orderOps,
  REQUEST_FIELDS,
  submit,
} from './support/flows.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shippedSeed = readFileSync(resolve(repoRoot, 'libs/catalogue/src/seed/interfaces.csv'), 'utf8');

let api: ApiHarness;
let coordinator: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  coordinator = await api.coordinator();
});

afterAll(async () => {
  await api.stop();
});

interface Change {
  kind: string;
  subject: string;
  before: string | null;
  after: string | null;
  actorId: string;
  actorRole: string;
}

const changes = async () =>
  (
    await api.ok<{ catalogueChanges: Change[] }>(
      coordinator,
      '{ catalogueChanges(first: 100) { kind subject before after actorId actorRole } }',
    )
  ).catalogueChanges;

const IMPORT_FIELDS =
  'interfacesCreated interfacesUpdated interfacesUnchanged suppliersCreated projectsCreated marks marksChanged dataElementsChanged changed';
const importCsv = async (csv: string) =>
  (
    await api.ok<{ importInterfaceMatrix: Record<string, number> }>(
      coordinator,
      `mutation($csv: String!) { importInterfaceMatrix(csv: $csv) { ${IMPORT_FIELDS} } }`,
      { csv },
    )
  ).importInterfaceMatrix;

const codeOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  response.errors?.[0]?.extensions;

async function sygehuse(): Promise<{
  id: string;
  contacts: { id: string; email: string; name: string; language: string }[];
}> {
  const data = await api.ok<{
    suppliers: {
      id: string;
      name: string;
      contacts: { id: string; email: string; name: string; language: string }[];
    }[];
  }>(coordinator, '{ suppliers { id name contacts { id email name language } } }');
  const found = data.suppliers.find((supplier) => supplier.name === 'Sygehuse');
  if (!found) throw new Error('no Sygehuse in the demo catalogue');
  return found;
}

describe('the CSV import', () => {
  it('reports 0 changed for an unchanged list, and counts only what changed', async () => {
    expect(await importCsv(shippedSeed)).toEqual({
      interfacesCreated: 0,
      interfacesUpdated: 0,
      interfacesUnchanged: 18,
      suppliersCreated: 0,
      projectsCreated: 0,
      marks: expect.any(Number),
      marksChanged: 0,
      dataElementsChanged: 0,
      changed: 0,
    });
    const changed = shippedSeed
      .replace('SF1180,Overskydende skat,SKAT,x,?,,', 'SF1180,Overskydende skat,SKAT,x,x,,')
      .replace('SF1280,KLE,KL,', 'SF1280,KLE (emnesystematik),KL,');
    expect(await importCsv(changed)).toMatchObject({
      interfacesUpdated: 1,
      interfacesUnchanged: 17,
      marksChanged: 1,
      changed: 2,
    });
    expect(await importCsv(shippedSeed)).toMatchObject({ interfacesUpdated: 1, marksChanged: 1, changed: 2 });
    // Only imports that changed something are audited, with who did it.
    const imports = (await changes()).filter((change) => change.kind === 'INTERFACE_MATRIX_IMPORTED');
    expect(imports).toHaveLength(2);
    expect(imports[0]).toMatchObject({ actorId: 'coordinator@kombit.example', actorRole: 'coordinator' });
  });

  it('carries data elements in a data_elements column, and re-importing its own export changes nothing', async () => {
    const exported = (
      await api.ok<{ interfaceMatrixCsv: string }>(
        coordinator,
        '{ interfaceMatrixCsv(withDataElements: true) }',
      )
    ).interfaceMatrixCsv;
    const lines = exported.split('\n');
    expect(lines[0]).toBe(
      'key,title,source_supplier,data_elements,project_col_1,project_col_2,project_col_3,project_col_4',
    );
    expect(lines.find((line) => line.startsWith('SF1320,'))).toMatch(
      /^SF1320,CPR hændelser,CPR,([A-Z0-9_.]+=[^;,]+;?)+,/,
    );
    expect(await importCsv(exported)).toMatchObject({
      changed: 0,
      dataElementsChanged: 0,
      interfacesUpdated: 0,
    });

    // A new interface imported with its data elements can be requested and approved at once.
    const withNew = exported.replace(
      /\n$/,
      '\nSF1600,Ny snitflade,ATP,ATP.SALDO=Saldo;ATP.KONTO=Kontonummer,,,,x\n',
    );
    expect(await importCsv(withNew)).toMatchObject({ interfacesCreated: 1, dataElementsChanged: 2 });
    expect(await offeredElements(api, coordinator, 'SF1600')).toEqual(['ATP.KONTO', 'ATP.SALDO']);
    const request = await submit(api, coordinator, {
      interfaceKey: 'SF1600',
      dataElements: ['ATP.SALDO'],
      projectId: api.ids.projects.KY,
    });
    expect(request.unofferedDataElements).toEqual([]);

    // Renaming and dropping through the CSV; the undecided request asking for the dropped one is flagged.
    const renamed = withNew.replace('ATP.SALDO=Saldo;ATP.KONTO=Kontonummer', 'ATP.KONTO=Konto');
    expect(await importCsv(renamed)).toMatchObject({ dataElementsChanged: 2, changed: 2 });
    expect(await importCsv(renamed)).toMatchObject({ changed: 0 });
    const flagged = await api.ok<{ request: { unofferedDataElements: string[] } }>(
      coordinator,
      'query($id: ID!) { request(id: $id) { unofferedDataElements } }',
      { id: request.id },
    );
    expect(flagged.request.unofferedDataElements).toEqual(['ATP.SALDO']);

    // A bad cell is refused with its line, and changes nothing.
    const bad = await api.graphql(
      coordinator,
      'mutation($csv: String!) { importInterfaceMatrix(csv: $csv) { changed } }',
      {
        csv: renamed.replace('ATP.KONTO=Konto', 'atp.konto=Konto'),
      },
    );
    expect(codeOf(bad)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'csv' });
    expect(bad.errors?.[0]?.message).toMatch(/line 20/);
    expect(await offeredElements(api, coordinator, 'SF1600')).toEqual(['ATP.KONTO']);
  });
});

describe('supplier contacts', () => {
  it('a coordinator adds, changes and removes a contact; sending follows; every change is audited', async () => {
    const supplier = await sygehuse();
    expect(supplier.contacts).toEqual([]);
    const order = await consolidatedOrder(api, coordinator, 'SF0810', ['KY']);
    const refused = await api.graphql(
      coordinator,
      'mutation($o: ID!) { sendToSupplier(orderId: $o) { state } }',
      { o: order.id },
    );
    expect(codeOf(refused)?.code).toBe('INVALID_TRANSITION');

    const add = (input: Record<string, unknown>, token = coordinator) =>
      api.graphql<{ addSupplierContact: { id: string; name: string; email: string; language: string } }>(
        token,
        'mutation($i: AddSupplierContactInput!) { addSupplierContact(input: $i) { id name email language } }',
        { i: input },
      );
    const before = (await changes()).length;
    // Refusals: each precise, none writes anything.
    expect(codeOf(await add({ supplierId: supplier.id, name: 'Jens', email: 'jens@' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.email',
    });
    expect(
      codeOf(await add({ supplierId: supplier.id, name: '   ', email: 'jens@sygehus.example' })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.name',
    });
    expect(
      codeOf(
        await add({ supplierId: '00000000-0000-4000-8000-000000000000', name: 'Jens', email: 'j@s.example' }),
      )?.code,
    ).toBe('NOT_FOUND');
    expect(
      codeOf(
        await add(
          { supplierId: supplier.id, name: 'Jens', email: 'j@s.example' },
          await api.projectUser('KY'),
        ),
      )?.code,
    ).toBe('FORBIDDEN');
    expect((await changes()).length).toBe(before);
    expect((await sygehuse()).contacts).toEqual([]);

    const added = await add({
      supplierId: supplier.id,
      name: ' Jens  Hansen ',
      email: 'Jens@Sygehus.Example',
    });
    expect(added.data?.addSupplierContact).toMatchObject({
      name: 'Jens Hansen',
      email: 'jens@sygehus.example',
      language: 'da',
    });
    const contactId = added.data?.addSupplierContact.id ?? '';
    expect(
      codeOf(await add({ supplierId: supplier.id, name: 'Again', email: 'jens@sygehus.example' })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.email',
    });

    const updated = await api.ok<{ updateSupplierContact: { name: string; language: string } }>(
      coordinator,
      'mutation($i: UpdateSupplierContactInput!) { updateSupplierContact(input: $i) { name language } }',
      { i: { contactId, name: 'Jens Hansen (IT)', language: 'en' } },
    );
    expect(updated.updateSupplierContact).toEqual({ name: 'Jens Hansen (IT)', language: 'en' });

    // Now the order can be sent, to that contact.
    const sent = await orderOps.send(api, coordinator, order.id);
    expect(sent.state).toBe('negotiation.awaitingSupplier');
    expect(sent.negotiation?.recipientContactIds).toEqual([contactId]);

    const removed = await api.ok<{ removeSupplierContact: { id: string } }>(
      coordinator,
      'mutation($c: String!) { removeSupplierContact(contactId: $c) { id } }',
      { c: contactId },
    );
    expect(removed.removeSupplierContact.id).toBe(contactId);
    expect((await sygehuse()).contacts).toEqual([]);
    const again = await api.graphql(
      coordinator,
      'mutation($c: String!) { removeSupplierContact(contactId: $c) { id } }',
      {
        c: contactId,
      },
    );
    expect(codeOf(again)?.code).toBe('NOT_FOUND');
    // The order still waits for the answer it asked for; a new round would need a contact again.
    expect((await getOrder(api, coordinator, order.id)).state).toBe('negotiation.awaitingSupplier');

    const audit = (await changes()).filter((change) => change.subject === 'jens@sygehus.example');
    expect(audit.map((change) => change.kind)).toEqual([
      'SUPPLIER_CONTACT_REMOVED',
      'SUPPLIER_CONTACT_CHANGED',
      'SUPPLIER_CONTACT_ADDED',
    ]);
    expect(JSON.parse(audit[1]?.before ?? '{}')).toMatchObject({ name: 'Jens Hansen', language: 'da' });
    expect(JSON.parse(audit[1]?.after ?? '{}')).toMatchObject({ name: 'Jens Hansen (IT)', language: 'en' });
    // The address may be added again once removed.
    expect(
      (await add({ supplierId: supplier.id, name: 'Jens', email: 'jens@sygehus.example' })).errors,
    ).toBeUndefined();
  });
});

describe('interface data elements', () => {
  it('a coordinator adds, renames and removes them; undecided requests are checked again; audited', async () => {
    // SF0741 is offered with its demo elements; ask for one it does not offer.
    const request = await submit(api, coordinator, {
      interfaceKey: 'SF0741',
      dataElements: ['ASK.NYT_FELT'],
      projectId: api.ids.projects.KSD,
    });
    expect(request.unofferedDataElements).toEqual(['ASK.NYT_FELT']);
    const approve = () =>
      api.graphql(
        coordinator,
        `mutation($i: ReviewRequestInput!) { reviewRequest(input: $i) { ${REQUEST_FIELDS} } }`,
        { i: { requestId: request.id, decision: 'APPROVE' } },
      );
    expect(codeOf(await approve())?.code).toBe('BAD_USER_INPUT');

    const mutate = (mutation: string, variables: Record<string, unknown>) =>
      api.graphql<Record<string, { key: string; dataElements: { code: string; name: string }[] }>>(
        coordinator,
        mutation,
        variables,
      );
    const ADD =
      'mutation($i: DataElementInput!) { addDataElement(input: $i) { key dataElements { code name } } }';
    const before = (await changes()).length;
    expect(
      codeOf(await mutate(ADD, { i: { interfaceKey: 'SF0741', code: 'ask.nyt', name: 'Nyt' } })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.code',
    });
    expect(
      codeOf(await mutate(ADD, { i: { interfaceKey: 'SF0741', code: 'ASK.NYT_FELT', name: ' ' } })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.name',
    });
    expect(
      codeOf(await mutate(ADD, { i: { interfaceKey: 'SF9999', code: 'ASK.NYT_FELT', name: 'Nyt' } }))?.code,
    ).toBe('NOT_FOUND');
    const existing = (await offeredElements(api, coordinator, 'SF0741'))[0] ?? '';
    expect(
      codeOf(await mutate(ADD, { i: { interfaceKey: 'SF0741', code: existing, name: 'Dublet' } })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.code',
    });
    expect((await changes()).length).toBe(before);

    const added = await mutate(ADD, {
      i: { interfaceKey: 'SF0741', code: 'ASK.NYT_FELT', name: 'Nyt felt' },
    });
    expect(added.data?.addDataElement?.dataElements).toContainEqual({
      code: 'ASK.NYT_FELT',
      name: 'Nyt felt',
    });
    // The waiting request is no longer flagged and can be approved.
    expect(codeOf(await approve())).toBeUndefined();

    const renamed = await mutate(
      'mutation($i: DataElementInput!) { updateDataElement(input: $i) { key dataElements { code name } } }',
      { i: { interfaceKey: 'SF0741', code: 'ASK.NYT_FELT', name: 'Nyt felt (v2)' } },
    );
    expect(renamed.data?.updateDataElement?.dataElements).toContainEqual({
      code: 'ASK.NYT_FELT',
      name: 'Nyt felt (v2)',
    });
    const removed = await mutate(
      'mutation { removeDataElement(interfaceKey: "SF0741", code: "ASK.NYT_FELT") { key dataElements { code name } } }',
      {},
    );
    expect(removed.data?.removeDataElement?.dataElements.map((e) => e.code)).not.toContain('ASK.NYT_FELT');
    const missing = await mutate(
      'mutation { removeDataElement(interfaceKey: "SF0741", code: "ASK.NYT_FELT") { key } }',
      {},
    );
    expect(codeOf(missing)?.code).toBe('NOT_FOUND');

    const audit = (await changes()).filter((change) => change.subject === 'SF0741 ASK.NYT_FELT');
    expect(audit.map((change) => change.kind)).toEqual([
      'DATA_ELEMENT_REMOVED',
      'DATA_ELEMENT_CHANGED',
      'DATA_ELEMENT_ADDED',
    ]);
    const projectUser = await api.projectUser('KY');
    expect(
      codeOf(await api.graphql(projectUser, ADD, { i: { interfaceKey: 'SF0741', code: 'ASK.X', name: 'X' } }))
        ?.code,
    ).toBe('FORBIDDEN');
    expect(codeOf(await api.graphql(projectUser, '{ catalogueChanges { kind } }'))?.code).toBe('FORBIDDEN');
  });
});
