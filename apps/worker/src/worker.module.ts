import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, AppConfigModule } from '@snitflow/config';
import { DatabaseModule } from '@snitflow/database';
import { OrdersCoreModule } from '@snitflow/orders';
import { LoggerModule } from 'nestjs-pino';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ pinoHttp: { level: config.LOG_LEVEL } }),
    }),
    DatabaseModule,
    OrdersCoreModule,
  ],
})
export class WorkerModule {}
