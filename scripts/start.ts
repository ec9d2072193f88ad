import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { ConfigValidationError, loadConfig } from '@snitflow/config';
import {
  createDataSource,
  DatabaseUnavailableError,
  ensureDatabaseExists,
  ensureRedisReachable,
  runMigrations,
  seedDemoData,
} from '@snitflow/database';
import { loadDemoProgramme } from '../apps/api/src/demo/programme-demo.js';

/**
 * `npm start`: validate the configuration, make sure Postgres and Redis are
 * there (one clear line if not), create and migrate the database, load the
 * demo catalogue into an empty one (and the demo programme, when there are no orders), then run the API and the worker as two
 * processes. If either stops, both stop. With `--prepare-only`, stop after
 * the preparation (for deployments that start the processes themselves).
 */
async function prepare(): Promise<void> {
  const config = loadConfig();
  const { created } = await ensureDatabaseExists(config.DATABASE_URL);
  if (created) console.log(`Created database ${new URL(config.DATABASE_URL).pathname.slice(1)}`);

  const dataSource = createDataSource({
    url: config.DATABASE_URL,
    applicationName: 'snitflow-start',
    poolSize: 2,
  });
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
    if (config.SEED_DEMO_DATA) {
      const seed = await seedDemoData(dataSource);
      if (seed.seeded) console.log(`Loaded the demo catalogue (${seed.interfaces} interfaces)`);
    }
  } finally {
    await dataSource.destroy();
  }

  await ensureRedisReachable(config.REDIS_URL);

  // After Redis: the demo programme plans reminders and queues emails like any real order.
  if (config.SEED_DEMO_DATA && config.SEED_DEMO_PROGRAMME) {
    const demo = await loadDemoProgramme();
    if (demo.loaded)
      console.log(
        `Loaded the DEMO programme (${demo.requests} requests, ${demo.orders} orders, six weeks of history; ` +
          'SEED_DEMO_PROGRAMME=false skips it)',
      );
  }
}

function run(name: string, entry: string): ChildProcess {
  const child = spawn(process.execPath, [entry], { stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => {
    console.log(`snitflow ${name} stopped (${signal ?? `exit ${code}`})`);
    shutdown(code ?? 1);
  });
  return child;
}

const children: ChildProcess[] = [];
let stopping = false;
function shutdown(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 200).unref();
}

try {
  await prepare();
} catch (error) {
  if (error instanceof DatabaseUnavailableError || error instanceof ConfigValidationError) {
    console.error(`snitflow cannot start: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
// `--prepare-only` (npm run setup, the containers' migrate step): the database is ready, nothing runs.
if (process.argv.includes('--prepare-only')) process.exit(0);
const here = new URL('.', import.meta.url).pathname;
children.push(
  run('api', `${here}../apps/api/src/main.js`),
  run('worker', `${here}../apps/worker/src/main.js`),
);
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
