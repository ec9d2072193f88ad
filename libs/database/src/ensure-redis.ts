import { Redis } from 'ioredis';
import { DatabaseUnavailableError } from './ensure-database.js';

/**
 * `npm start`'s check that Redis answers, before the processes start: resolves after one PING,
 * or rejects with a DatabaseUnavailableError whose message is the one line the README promises
 * ("Redis is not reachable at HOST (cause). Start it …"). The client gets an error listener, so
 * ioredis does not also print "[ioredis] Unhandled error event" with a stack; the first error it
 * saw (e.g. connect ECONNREFUSED) is the cause named, not the later "Connection is closed.".
 * @param redisUrl REDIS_URL
 */
export async function ensureRedisReachable(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let firstError: Error | null = null;
  redis.on('error', (error: Error) => {
    firstError ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    const cause = firstError ?? (error as Error);
    throw new DatabaseUnavailableError(
      `Redis is not reachable at ${new URL(redisUrl).host} (${cause.message}). Start it ` +
        '(on this machine: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; ' +
        'elsewhere: docker compose up -d redis) or set REDIS_URL.',
    );
  } finally {
    redis.disconnect();
  }
}
