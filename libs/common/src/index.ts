export { CLOCK, type Clock, ManualClock, systemClock } from './clock.js';
export { neutraliseCsvCell, restoreCsvCell } from './csv-cells.js';
export {
  badInput,
  conflict,
  ERROR_CODES,
  ErrorCode,
  type ErrorDetails,
  forbidden,
  notFound,
  SnitflowError,
} from './errors.js';
export { isInfrastructureError } from './infrastructure-error.js';
export { assertIsoDate, isIsoDate } from './iso-date.js';
export { assertMoneyOere, isMoneyOere, MAX_MONEY_OERE } from './money.js';
export { currentRequestId, requestIdLogFields, runWithRequestId } from './request-scope.js';
export { cleanInput, cleanText, requiredText, textProblem } from './text.js';
export { assertUuid, isUuid } from './uuid.js';
