export {
  applyInterfaceMatrix,
  type MatrixImportSummary,
  readInterfaceMatrix,
  reflagUndecidedRequests,
  supplierCodeFor,
} from './catalogue-writer.js';
export { createDataSource, type DatabaseSettings, dataSourceOptions } from './data-source.js';
export { DatabaseModule } from './database.module.js';
export { DatabaseUnavailableError, ensureDatabaseExists } from './ensure-database.js';
export { ensureRedisReachable } from './ensure-redis.js';
export * from './entities/index.js';
export { runMigrations } from './migrate.js';
export { type SeedResult, seedDemoData } from './seed-demo-data.js';
