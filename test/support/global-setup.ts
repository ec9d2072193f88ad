/**
 * Once per `npm test`: name this run's template database and Redis prefix.
 * The first test file that needs a database creates, migrates and seeds the
 * template (see database.ts); every test file then clones it. Jest loads
 * this file outside its module system, so it imports nothing of the project.
 */
export default async function globalSetup(): Promise<void> {
  const run = `${Date.now().toString(36)}_${process.pid}`;
  process.env.SNITFLOW_TEST_RUN = run;
  process.env.SNITFLOW_TEST_TEMPLATE = `snitflow_test_${run}`;
}
