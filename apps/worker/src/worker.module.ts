import { Module } from '@nestjs/common';
import { requestIdLogFields } from '@snitflow/common';
import {
  APP_CONFIG,
  type AppConfig,
  AppConfigModule,
  LOG_DESTINATION,
  type LogDestination,
} from '@snitflow/config';
import { DatabaseModule } from '@snitflow/database';
import { ObservabilityModule } from '@snitflow/observability';
import { OrdersCoreModule } from '@snitflow/orders';
import { LoggerModule } from 'nestjs-pino';
import { EmailComposer } from './email/email-composer.js';
import { EmailSender } from './email/email-sender.js';
import { MailTransport } from './email/mail-transport.js';
import { InboundMailReceiver } from './inbound/inbound-mail-receiver.js';
import { SenderRateLimit } from './inbound/sender-rate-limit.js';
import { JOB_HANDLERS, type JobHandler } from './job-handler.js';
import { Reconciler } from './reminders/reconciler.js';
import { ReminderProcessor } from './reminders/reminder.processor.js';
import { WorkerRunner } from './worker-runner.js';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG, LOG_DESTINATION],
      useFactory: (config: AppConfig, destination: LogDestination) => {
        // A job queued by a request carries its id; every line written while handling it says it.
        const options = { level: config.LOG_LEVEL, mixin: requestIdLogFields };
        return { pinoHttp: destination ? [options, destination] : options };
      },
    }),
    DatabaseModule,
    ObservabilityModule,
    OrdersCoreModule,
  ],
  providers: [
    ReminderProcessor,
    EmailComposer,
    MailTransport,
    EmailSender,
    Reconciler,
    {
      provide: JOB_HANDLERS,
      inject: [ReminderProcessor, EmailSender],
      useFactory: (...handlers: JobHandler[]) => handlers,
    },
    WorkerRunner,
    InboundMailReceiver,
    SenderRateLimit,
  ],
  exports: [ReminderProcessor, Reconciler, InboundMailReceiver],
})
export class WorkerModule {}
