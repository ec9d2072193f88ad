import 'reflect-metadata';
import { loadConfig } from '@snitflow/config';
import { createApiApp } from './bootstrap.js';

const config = loadConfig();
const app = await createApiApp();
await app.listen({ port: config.PORT, host: '0.0.0.0' });
console.log(`snitflow API: GraphQL at http://localhost:${config.PORT}/graphql (health: /health)`);
