import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, loadConfig } from '@snitflow/config';
import { loadPageEngine } from '@snitflow/pages';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { registerRequestLog } from './graphql/request-log.js';
import { registerHttpEdges } from './http-edges/http-edges.js';
import { registerQueueDashboard } from './queue-dashboard/queue-dashboard.js';

/**
 * `/snitflow/reply/x` → `/reply/x` when PUBLIC_BASE_PATH is `/snitflow`, so the API answers behind
 * a proxy that forwards the prefix as well as behind one that strips it. Other URLs are kept.
 */
export function withoutBasePath(url: string, basePath: string): string {
  if (basePath === '' || !url.startsWith(basePath)) return url;
  const rest = url.slice(basePath.length);
  if (rest === '') return '/';
  if (rest.startsWith('/')) return rest;
  if (rest.startsWith('?')) return `/${rest}`;
  // `/snitflowx` is not under `/snitflow`.
  return url;
}

export function createFastifyAdapter(
  config: Pick<AppConfig, 'TRUST_PROXY' | 'PUBLIC_BASE_PATH'> = loadConfig(),
): FastifyAdapter {
  const basePath = config.PUBLIC_BASE_PATH;
  return new FastifyAdapter({
    rewriteUrl: (request: { url?: string }) => withoutBasePath(request.url ?? '/', basePath),
    // The id quoted to clients; set on the raw request too, where pino-http takes it as reqId,
    // so the client's id and the log lines' agree.
    genReqId: (raw: IncomingMessage) => {
      const id = randomUUID();
      (raw as { id?: string }).id = id;
      return id;
    },
    // Behind a reverse proxy, request.ip (the reply page's rate limit key) must be the
    // client's address from X-Forwarded-For, not the proxy's: see TRUST_PROXY.
    trustProxy: config.TRUST_PROXY,
    // Request bodies beyond this are refused before parsing (GraphQL documents and CSV imports are small).
    bodyLimit: 1024 * 1024,
  });
}

/** What every API instance gets, whoever built its module (main.ts or a test). */
export async function configureApiApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  app.useLogger(app.get(Logger));
  // Every page template and label file is read and checked now: a broken page stops the start,
  // naming the file, instead of failing in front of a supplier.
  loadPageEngine();
  registerRequestLog(app.getHttpAdapter().getInstance());
  app.enableShutdownHooks();
  // Before any route: helmet's headers and the rate limits apply to every route registered after.
  await registerHttpEdges(app);
  await registerQueueDashboard(app);
  return app;
}

/** Builds the API application (used by main.ts and the scripts). */
export async function createApiApp(): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createFastifyAdapter(), {
    bufferLogs: true,
  });
  return configureApiApp(app);
}
