import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { requestIdLogFields } from '@snitflow/common';
import {
  APP_CONFIG,
  type AppConfig,
  AppConfigModule,
  LOG_DESTINATION,
  type LogDestination,
} from '@snitflow/config';
import { DatabaseModule } from '@snitflow/database';
import { Metrics, ObservabilityModule } from '@snitflow/observability';
import { OrderChanges, OrdersCoreModule } from '@snitflow/orders';
import { LoggerModule } from 'nestjs-pino';
import { AuthGuard } from './auth/auth.guard.js';
import { BulkResolver } from './bulk/bulk.resolver.js';
import { BulkService } from './bulk/bulk.service.js';
import { InterfaceResolver, ProjectResolver, SupplierResolver } from './catalogue/catalogue.resolver.js';
import { CatalogueService } from './catalogue/catalogue.service.js';
import { CatalogueChangesService } from './catalogue/catalogue-changes.service.js';
import { EmailsResolver } from './email/emails.resolver.js';
import { EmailsService } from './email/emails.service.js';
import { graphqlOptions } from './graphql/graphql.options.js';
import { GraphqlErrorsFilter } from './graphql/graphql-errors.filter.js';
import { InputPipe } from './graphql/input-validation.js';
import { FreshLoadersPerMutation, LoaderRegistry } from './graphql/loaders.js';
import { BigIntScalar, IsoDateScalar } from './graphql/scalars.js';
import { HealthController } from './health/health.controller.js';
import { LiveResolver } from './live/live.resolver.js';
import { LiveService } from './live/live.service.js';
import { OrdersResolver } from './orders/orders.resolver.js';
import { OrdersService } from './orders/orders.service.js';
import { ProgrammeController } from './programme/programme.controller.js';
import {
  MatrixOrderResolver,
  OrderForecastResolver,
  ProgrammeResolver,
} from './programme/programme.resolver.js';
import { ProgrammeService } from './programme/programme.service.js';
import { RequestsResolver } from './requests/requests.resolver.js';
import { RequestsService } from './requests/requests.service.js';
import { SettlementResolver } from './settlement/settlement.resolver.js';
import { SettlementService } from './settlement/settlement.service.js';
import { StatementController } from './settlement/statement.controller.js';
import { SupplierMessageAttachmentsController } from './supplier-messages/supplier-message-attachments.controller.js';
import { SupplierMessagesResolver } from './supplier-messages/supplier-messages.resolver.js';
import { SupplierMessagesService } from './supplier-messages/supplier-messages.service.js';
import { ReplyController } from './supplier-reply/reply.controller.js';
import { ReplyService } from './supplier-reply/reply.service.js';
import { SupplierStatsService } from './suppliers/supplier-stats.service.js';
import { SupplierStatsResolver } from './suppliers/suppliers.resolver.js';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG, LOG_DESTINATION],
      useFactory: (config: AppConfig, destination: LogDestination) => {
        const options = {
          level: config.LOG_LEVEL,
          // Request ids come from Fastify (genReqId, also set as the raw request's id, which
          // pino-http logs as reqId); every line in a request's scope carries it as requestId too.
          quietReqLogger: true,
          autoLogging: false,
          mixin: requestIdLogFields,
          redact: ['req.headers.authorization'],
        };
        return { pinoHttp: destination ? [options, destination] : options };
      },
    }),
    DatabaseModule,
    ObservabilityModule,
    OrdersCoreModule,
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      inject: [APP_CONFIG, Metrics, OrderChanges],
      useFactory: (config: AppConfig, metrics: Metrics, changes: OrderChanges) =>
        graphqlOptions(config, { metrics, emitter: changes.emitter }),
    }),
  ],
  controllers: [
    HealthController,
    ReplyController,
    StatementController,
    ProgrammeController,
    SupplierMessageAttachmentsController,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_PIPE, useClass: InputPipe },
    { provide: APP_FILTER, useClass: GraphqlErrorsFilter },
    { provide: APP_INTERCEPTOR, useClass: FreshLoadersPerMutation },
    IsoDateScalar,
    BigIntScalar,
    LoaderRegistry,
    CatalogueService,
    CatalogueChangesService,
    InterfaceResolver,
    SupplierResolver,
    ProjectResolver,
    RequestsService,
    RequestsResolver,
    OrdersService,
    OrdersResolver,
    BulkService,
    BulkResolver,
    SupplierStatsService,
    SupplierStatsResolver,
    ReplyService,
    EmailsService,
    EmailsResolver,
    ProgrammeService,
    ProgrammeResolver,
    OrderForecastResolver,
    MatrixOrderResolver,
    SettlementService,
    SettlementResolver,
    LiveService,
    LiveResolver,
    SupplierMessagesService,
    SupplierMessagesResolver,
  ],
})
export class AppModule {}
