/**
 * A fixed-window counter per client address: enough to stop a script from
 * hammering the reply page, with no state that outlives the process (the
 * links themselves are unguessable; this only protects the server).
 *
 * Memory is bounded: clients are kept least recently seen first, and the front
 * is dropped when its window ended or when there are more than `maxClients`.
 * A client that keeps hammering stays at the back, so a flood of one-off
 * addresses cannot reset its count (clearing everything would).
 */
export class FixedWindowRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxClients = 10_000,
  ) {}

  allow(key: string, now: number = Date.now()): boolean {
    const window = this.windows.get(key);
    // Every request moves its client to the back: the front is the least recently seen.
    this.windows.delete(key);
    if (window && now - window.start < this.windowMs) {
      window.count += 1;
      this.windows.set(key, window);
      return window.count <= this.max;
    }
    this.evict(now);
    this.windows.set(key, { start: now, count: 1 });
    return true;
  }

  /** How many clients are tracked (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private evict(now: number): void {
    for (const [key, window] of this.windows) {
      const ended = now - window.start >= this.windowMs;
      if (!ended && this.windows.size < this.maxClients) return;
      this.windows.delete(key);
    }
  }
}
