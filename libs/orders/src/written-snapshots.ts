import type { OrderSnapshot } from '@snitflow/lifecycle';

interface Written {
  version: number;
  machineVersion: number;
  persisted: unknown;
  snapshot: OrderSnapshot;
}

/**
 * The snapshots this process's machine last wrote, per order, so the next transition of the same
 * order can skip restoring its row (the schema check, resolving the state: about a tenth of a
 * transition's CPU in the service).
 *
 * A snapshot is reused only when the locked row is at the version written, the current machine
 * version, and its snapshot is, value for value, the JSON that was written. Anything else — a row
 * another process or release wrote, one changed by hand or corrupted in the database, even at the
 * same version — is restored and checked in full (restoreOrderSnapshot), so a bad row is still
 * refused with UNSUPPORTED_MACHINE_VERSION. What is reused is the machine's own output, the same
 * snapshot the transition returned to its caller; that every snapshot the machine produces
 * restores to itself is the lifecycle's round-trip test (snapshot.spec.ts).
 *
 * Entries are kept only after their transaction committed (a rolled-back write is never offered)
 * and at most `capacity` orders, the least recently used dropped first.
 */
export class WrittenSnapshots {
  private readonly entries = new Map<string, Written>();

  constructor(private readonly capacity = 1000) {}

  /** Remembers what was written for the order (call once the write has committed). */
  remember(orderId: string, written: Written): void {
    this.entries.delete(orderId);
    this.entries.set(orderId, written);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** The snapshot last written for this row, if the row still holds exactly that; otherwise null. */
  reuse(row: {
    id: string;
    version: number;
    machineVersion: number;
    snapshot: unknown;
  }): OrderSnapshot | null {
    const written = this.entries.get(row.id);
    if (
      !written ||
      written.version !== row.version ||
      written.machineVersion !== row.machineVersion ||
      !sameJsonValue(written.persisted, row.snapshot)
    ) {
      return null;
    }
    // Most recently used last, so the busiest orders stay.
    this.entries.delete(row.id);
    this.entries.set(row.id, written);
    return written.snapshot;
  }

  /** Forgets every order (tests that rewrite rows by hand do not need it: the contents are compared). */
  clear(): void {
    this.entries.clear();
  }
}

/**
 * Whether two JSON values (as JSON.parse gives them: objects, arrays, strings, numbers, booleans,
 * null) are equal value for value; the order of object keys does not matter (jsonb keeps its own).
 */
export function sameJsonValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJsonValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(right, key) || !sameJsonValue(left[key], right[key])) return false;
  }
  return true;
}
