export { CLOCK, type Clock, ManualClock, systemClock } from './clock.js';
export { neutraliseCsvCell, restoreCsvCell } from './csv-cells.js';
export {
  badInput,
  conflict,
  ErrorCode,
  type ErrorDetails,
  forbidden,
  notFound,
  SnitflowError,
} from './errors.js';
export { isInfrastructureError } from './infrastructure-error.js';
export { assertIsoDate, isIsoDate } from './iso-date.js';
export { assertUuid, isUuid } from './uuid.js';
