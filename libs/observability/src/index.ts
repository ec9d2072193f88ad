export { JOB_STATES, Metrics } from './metrics.js';
export { metricsAccessAllowed } from './metrics-access.js';
export { ObservabilityModule } from './observability.module.js';
export { READINESS_TIMEOUT_MS, Readiness } from './readiness.js';
