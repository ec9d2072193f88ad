// Jest runs the project as native ES modules (NestJS 12 is ESM-only), compiled by swc.
// Two projects: `unit` (pure logic, no services) and `integration` (real
// PostgreSQL and Redis, each run in its own databases and key prefix).

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
  },
];

// Fastify's CommonJS dependencies require() a few packages that are ESM-only.
// Node 20's require(esm) works outside Jest, but Jest's module system does not
// support it, so swc compiles exactly those packages to CommonJS for tests.
const ESM_ONLY_REQUIRED_BY_CJS = ['content-disposition', 'cookie'];

const shared = {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': swc,
    [`/node_modules/(.+/)?(${ESM_ONLY_REQUIRED_BY_CJS.join('|')})/.+\\.js$`]: [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(.+/)?(${ESM_ONLY_REQUIRED_BY_CJS.join('|')})/)`],
  moduleNameMapper: {
    '^@snitflow/migrations$': '<rootDir>/migrations/index.ts',
    '^@snitflow/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};

/** @type {import('jest').Config} */
export default {
  // Also the bound of every beforeAll: starting an API (a database from the migrated template,
  // Nest, Redis) took over 30 s once on this 2-core machine under a load average of 10.
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/stop-leftovers.ts'],
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
