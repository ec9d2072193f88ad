import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InvalidTokenError, verifyToken } from '@snitflow/auth';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { JobQueues } from '@snitflow/jobs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where operators find the queues (Bull Board). */
export const DASHBOARD_PATH = '/admin/queues';
const LOGIN_PATH = '/admin/login';
const COOKIE = 'snitflow_dashboard';

/** The bearer token, or the one kept by the sign-in form (cookie scoped to /admin). */
export function tokenFrom(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  if (bearer) return bearer;
  const cookies = request.headers.cookie ?? '';
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(cookies);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/** The sign-in page; `action` is the public path of the login route (PUBLIC_BASE_URL's path + LOGIN_PATH). */
const loginPage = (action: string, message: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>snitflow queues: sign in</title></head>
<body><main><h1>snitflow queues</h1><p>${message}</p>
<form method="post" action="${action}">
<label for="token">Coordinator token (npm run token -- --role coordinator)</label><br>
<input id="token" name="token" type="password" autocomplete="off" size="60" required>
<button type="submit">Open the dashboard</button></form></main></body></html>`;

/**
 * Bull Board behind coordinator authentication: a bearer header, or the
 * token given once on the sign-in form and kept in an HttpOnly cookie scoped
 * to /admin. Project users and anonymous callers get nothing.
 */
export async function registerQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  const queues = app.get(JobQueues);
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  // Routes are registered at their own paths (a proxy's prefix is stripped before routing);
  // everything the browser is sent to — redirects, the form, the board's assets, the cookie's
  // path — carries PUBLIC_BASE_URL's path, so it works behind a proxy under /snitflow.
  const base = config.PUBLIC_BASE_PATH;
  const publicLogin = `${base}${LOGIN_PATH}`;
  const publicDashboard = `${base}${DASHBOARD_PATH}`;
  const signIn = (message: string) => loginPage(publicLogin, message);

  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(publicDashboard);
  createBullBoard({
    queues: queues.allQueues().map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'snitflow queues' } },
  });

  const authorise = async (request: FastifyRequest, reply: FastifyReply) => {
    const token = tokenFrom(request);
    if (!token) return reply.code(302).header('location', publicLogin).send();
    try {
      const user = await verifyToken(config.JWT_SECRET, token);
      if (user.role !== 'coordinator' && user.role !== 'admin') {
        return reply.code(403).type('text/plain').send('The queue dashboard is for coordinators');
      }
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        return reply
          .code(401)
          .type('text/html')
          .send(signIn(`The token ${error.message}.`));
      }
      throw error;
    }
  };

  await fastify.register(async (scope) => {
    scope.addHook('onRequest', authorise);
    await scope.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  });

  fastify.get(LOGIN_PATH, async (_request, reply) =>
    reply.type('text/html').send(signIn('Sign in with a coordinator token.')),
  );
  fastify.post(LOGIN_PATH, async (request, reply) => {
    const body = (request.body ?? {}) as { token?: unknown };
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    try {
      const user = await verifyToken(config.JWT_SECRET, token);
      if (user.role !== 'coordinator' && user.role !== 'admin')
        throw new InvalidTokenError('is not a coordinator token');
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        return reply
          .code(401)
          .type('text/html')
          .send(signIn(`The token ${error.message}.`));
      }
      throw error;
    }
    const secure = config.PUBLIC_BASE_URL.startsWith('https:') ? '; Secure' : '';
    return reply
      .code(303)
      .header(
        'set-cookie',
        `${COOKIE}=${encodeURIComponent(token)}; Path=${base}/admin; HttpOnly; SameSite=Strict${secure}`,
      )
      .header('location', publicDashboard)
      .send();
  });
}
