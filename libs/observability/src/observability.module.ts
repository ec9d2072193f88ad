import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Metrics } from './metrics.js';
import { Readiness } from './readiness.js';

/** Metrics and readiness checks, one set per process (API or worker). */
@Global()
@Module({
  imports: [TerminusModule],
  providers: [Metrics, Readiness],
  exports: [Metrics, Readiness, TerminusModule],
})
export class ObservabilityModule {}
