import 'reflect-metadata';
import { loadConfig } from '@snitflow/config';
import { Logger } from 'nestjs-pino';
import { createWorkerApp } from './bootstrap.js';

const config = loadConfig();
const app = await createWorkerApp();
await app.listen({ port: config.WORKER_HEALTH_PORT, host: '0.0.0.0' });
const address = app.getHttpServer().address();
const port = address && typeof address === 'object' ? address.port : config.WORKER_HEALTH_PORT;
// The port is in the line so that a process started with WORKER_HEALTH_PORT=0 can be found.
app.get(Logger).log(`snitflow worker ready (health and metrics on port ${port})`);
