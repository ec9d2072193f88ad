import { timingSafeEqual } from 'node:crypto';

/**
 * Whether a scrape may read /metrics: always when METRICS_TOKEN is unset (the
 * endpoint is then meant for an internal network only, see README), else only
 * with `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time.
 */
export function metricsAccessAllowed(expected: string | null, header: string | undefined): boolean {
  if (!expected) return true;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  const given = Buffer.from(match?.[1] ?? '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
