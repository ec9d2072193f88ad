import { initialOrderSnapshot, ORDER_MACHINE_VERSION, persistOrderSnapshot } from '@snitflow/lifecycle';
import { sameJsonValue, WrittenSnapshots } from './written-snapshots.js';

const snapshot = initialOrderSnapshot({ orderId: 'order-1', interfaceKey: 'SF0770', supplierId: 'skat' });
const persisted = persistOrderSnapshot(snapshot);
/** The row as pg hands it back: parsed from jsonb's text, keys in jsonb's order. */
const fromDatabase = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function remembered(capacity?: number): WrittenSnapshots {
  const written = new WrittenSnapshots(capacity);
  written.remember('order-1', { version: 3, machineVersion: ORDER_MACHINE_VERSION, persisted, snapshot });
  return written;
}

const row = (
  changes: Partial<{ id: string; version: number; machineVersion: number; snapshot: unknown }>,
) => ({
  id: 'order-1',
  version: 3,
  machineVersion: ORDER_MACHINE_VERSION,
  snapshot: fromDatabase(persisted),
  ...changes,
});

describe('WrittenSnapshots', () => {
  it('reuses the snapshot it wrote when the row holds exactly that JSON, whatever the key order', () => {
    const reordered = Object.fromEntries(Object.entries(fromDatabase(persisted) as object).reverse());
    expect(remembered().reuse(row({ snapshot: reordered }))).toBe(snapshot);
  });

  it('does not reuse at another version, another machine version or for another order', () => {
    const written = remembered();
    expect(written.reuse(row({ version: 4 }))).toBeNull();
    expect(written.reuse(row({ machineVersion: ORDER_MACHINE_VERSION - 1 }))).toBeNull();
    expect(written.reuse(row({ id: 'order-2' }))).toBeNull();
  });

  it('does not reuse a row changed at the same version, however deep the change', () => {
    const damaged = fromDatabase(persisted) as { context: { specification: unknown; extra?: unknown } };
    damaged.context.specification = { dataElements: [] };
    expect(remembered().reuse(row({ snapshot: damaged }))).toBeNull();
    const added = fromDatabase(persisted) as { context: Record<string, unknown> };
    added.context.extra = null;
    expect(remembered().reuse(row({ snapshot: added }))).toBeNull();
    expect(remembered().reuse(row({ snapshot: null }))).toBeNull();
  });

  it('keeps at most its capacity, dropping the least recently used order', () => {
    const written = remembered(2);
    written.remember('order-2', { version: 1, machineVersion: ORDER_MACHINE_VERSION, persisted, snapshot });
    expect(written.reuse(row({}))).toBe(snapshot); // order-1 is now the most recently used
    written.remember('order-3', { version: 1, machineVersion: ORDER_MACHINE_VERSION, persisted, snapshot });
    expect(written.reuse(row({}))).toBe(snapshot);
    expect(written.reuse(row({ id: 'order-2', version: 1 }))).toBeNull();
    expect(written.reuse(row({ id: 'order-3', version: 1 }))).toBe(snapshot);
  });
});

describe('sameJsonValue', () => {
  it.each([
    [{ a: 1, b: [1, 'x', null] }, { b: [1, 'x', null], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: null }, {}, false],
    [[1, 2], [2, 1], false],
    [[], {}, false],
    ['1', 1, false],
    [{ a: { b: { c: 'x' } } }, { a: { b: { c: 'y' } } }, false],
  ])('%j and %j: %p', (a, b, same) => {
    expect(sameJsonValue(a, b)).toBe(same);
    expect(sameJsonValue(b, a)).toBe(same);
  });
});
