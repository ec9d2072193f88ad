import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants.js';
import { CLOCK, type Clock } from '@snitflow/common';
import { AppConfigModule } from '@snitflow/config';
import { DatabaseModule } from '@snitflow/database';
import { ObservabilityModule } from '@snitflow/observability';
import { OrdersCoreModule } from '@snitflow/orders';
import { OrdersService } from '../orders/orders.service.js';
import { RequestsService } from '../requests/requests.service.js';

@Global()
@Module({})
class ClockedOrdersCoreModule {}

/**
 * The order write path exactly as OrdersCoreModule declares it (read from its own metadata, so
 * nothing drifts), with `clock` instead of the system clock: the demo programme is written by
 * the real services at the past instants its story needs.
 */
function ordersCoreWithClock(clock: Clock): DynamicModule {
  const read = <T>(key: string): T[] => (Reflect.getMetadata(key, OrdersCoreModule) as T[] | undefined) ?? [];
  const providers = read<Provider>(MODULE_METADATA.PROVIDERS).map((provider) =>
    typeof provider === 'object' && 'provide' in provider && provider.provide === CLOCK
      ? { provide: CLOCK, useValue: clock }
      : provider,
  );
  return {
    module: ClockedOrdersCoreModule,
    global: true,
    imports: read(MODULE_METADATA.IMPORTS),
    providers,
    exports: read(MODULE_METADATA.EXPORTS),
  };
}

@Module({})
class DemoProgrammeModule {}

/** The services a coordinator and the projects use over GraphQL, on `clock`, without HTTP. */
export function demoProgrammeModule(clock: Clock): DynamicModule {
  return {
    module: DemoProgrammeModule,
    imports: [AppConfigModule, DatabaseModule, ObservabilityModule, ordersCoreWithClock(clock)],
    providers: [RequestsService, OrdersService],
    exports: [RequestsService, OrdersService],
  };
}
