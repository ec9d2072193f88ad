export { APP_CONFIG, AppConfigModule } from './config.module.js';
export { type AppConfig, ConfigValidationError, configSchema, loadConfig } from './config.schema.js';
