import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, AppConfigModule } from '@snitflow/config';
import { DatabaseModule } from '@snitflow/database';
import { OrdersCoreModule } from '@snitflow/orders';
import { LoggerModule } from 'nestjs-pino';
import { OutboxLogger } from './email/outbox-logger.js';
import { JOB_HANDLERS, type JobHandler } from './job-handler.js';
import { Reconciler } from './reminders/reconciler.js';
import { ReminderProcessor } from './reminders/reminder.processor.js';
import { WorkerRunner } from './worker-runner.js';

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
  providers: [
    ReminderProcessor,
    OutboxLogger,
    Reconciler,
    {
      provide: JOB_HANDLERS,
      inject: [ReminderProcessor, OutboxLogger],
      useFactory: (...handlers: JobHandler[]) => handlers,
    },
    WorkerRunner,
  ],
  exports: [ReminderProcessor, Reconciler],
})
export class WorkerModule {}
