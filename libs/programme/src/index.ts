export { type Bar, type BarChart, type BarRow, barChart } from './charts.js';
export { deadlinesMissed, initialDeadline, type MissedDeadline } from './deadlines-missed.js';
export {
  DurationHistory,
  type DurationSource,
  type ForecastStatus,
  type ForecastStep,
  forecastOrder,
  forecastProjects,
  MIN_SAMPLES,
  type OrderForecast,
  type OrderNow,
  type ProjectForecast,
  remainingPath,
  SUPPLIER_WAIT,
  type TypicalDuration,
} from './forecast.js';
export { type HistoryEvent, INTERRUPTING_EVENTS, type Stay, staysOf } from './history.js';
export { type Happening, type PlanBStarted, type SinceLastTime, sinceLastTime } from './since-last-time.js';
export { median, percentile } from './statistics.js';
export {
  type MonthlyTestLoad,
  NEAR_TEST_STATES,
  type OrderTestFacts,
  type OverlappingWindows,
  type SharedTestCandidate,
  type TestPlanFacts,
  type TestStrategy,
  testStrategy,
  type UnownedTest,
} from './test-strategy.js';
