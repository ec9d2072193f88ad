import { Global, Module } from '@nestjs/common';
import { CLOCK, systemClock } from '@snitflow/common';
import { OrderTransitionService } from './order-transition.service.js';

/**
 * The order write path, shared by the API and the worker. Global so the one
 * clock (overridable in tests) is the same everywhere.
 */
@Global()
@Module({
  providers: [{ provide: CLOCK, useValue: systemClock }, OrderTransitionService],
  exports: [CLOCK, OrderTransitionService],
})
export class OrdersCoreModule {}
