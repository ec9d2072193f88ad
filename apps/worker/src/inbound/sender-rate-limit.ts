import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@snitflow/common';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { JobQueues } from '@snitflow/jobs';

const HOUR_MS = 3_600_000;

/**
 * A sliding window in one sorted set per sender, scored by the time each message was accepted:
 * drop what is older than the window, refuse when the limit is reached, else record this one.
 * One script, so two workers checking the same sender at once cannot both take the last place.
 * KEYS[1] the sender's set; ARGV now (ms), window (ms), limit, a member unique to this message.
 * Returns 1 when the message may come in, 0 when the sender is over its limit.
 */
const SLIDING_WINDOW = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/**
 * INBOUND_RATE_LIMIT_PER_HOUR: messages one sender may hand in per hour, counted in Redis under
 * REDIS_PREFIX so every worker process shares one count (two workers behind one MX record must
 * not double a sender's allowance). Times come from the injected clock, so tests can let an hour
 * pass. A sender is its address, lower-cased; a bounce (the null sender) counts per connecting
 * host. Keys hold a SHA-256 of it, not the address.
 *
 * Written here rather than taken from a rate-limit library: the ones for Redis
 * (rate-limiter-flexible, @fastify/rate-limit's store) count on Redis's own clock, which the
 * tests' controllable clock cannot move. While Redis is unreachable the limit is counted in this
 * process's memory instead (logged once per outage): mail keeps coming in, each worker applying
 * the limit on its own.
 */
@Injectable()
export class SenderRateLimit {
  private readonly logger = new Logger('InboundMail');
  private readonly recent = new Map<string, number[]>();
  private redisAway = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly queues: JobQueues,
  ) {}

  /** Records one message from `sender` and says whether it may come in (false: over the limit). */
  async take(sender: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    const limit = this.config.INBOUND_RATE_LIMIT_PER_HOUR;
    const digest = createHash('sha256').update(sender).digest('hex');
    try {
      const allowed = await this.queues.connection.eval(
        SLIDING_WINDOW,
        1,
        `${this.queues.prefix}:inbound-sender:${digest}`,
        now,
        HOUR_MS,
        limit,
        `${now}-${randomUUID()}`,
      );
      this.redisAway = false;
      return allowed === 1;
    } catch (error) {
      if (!this.redisAway) {
        this.logger.warn(
          `Sender rate limit counted in this process while Redis is unreachable: ${(error as Error).message}`,
        );
      }
      this.redisAway = true;
      return this.takeInMemory(sender, now, limit);
    }
  }

  private takeInMemory(sender: string, now: number, limit: number): boolean {
    const times = (this.recent.get(sender) ?? []).filter((time) => time > now - HOUR_MS);
    const allowed = times.length < limit;
    if (allowed) times.push(now);
    this.recent.set(sender, times);
    if (this.recent.size > 10_000) {
      for (const [key, kept] of this.recent) {
        if (kept.every((time) => time <= now - HOUR_MS)) this.recent.delete(key);
      }
    }
    return allowed;
  }
}
