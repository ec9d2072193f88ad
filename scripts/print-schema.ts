import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { loadConfig } from '@snitflow/config';
import { ensureDatabaseExists } from '@snitflow/database';
import { printSchema } from 'graphql';
import { createApiApp } from '../apps/api/src/bootstrap.js';

/**
 * `npm run schema`: writes the GraphQL schema generated from the code-first
 * resolvers to schema.graphql. A test fails when the committed file drifts.
 */
// The app connects at start-up; on a fresh machine the database may not exist yet.
await ensureDatabaseExists(loadConfig().DATABASE_URL);
const app = await createApiApp();
await app.init();
const schema = app.get(GraphQLSchemaHost).schema;
writeFileSync('schema.graphql', `${printSchema(schema)}\n`);
await app.close();
console.log('wrote schema.graphql');
