export { APP_CONFIG, AppConfigModule, LOG_DESTINATION, type LogDestination } from './config.module.js';
export { type AppConfig, ConfigValidationError, configSchema, loadConfig } from './config.schema.js';
