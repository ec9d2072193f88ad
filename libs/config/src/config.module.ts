import { Global, Module } from '@nestjs/common';
import { type AppConfig, loadConfig } from './config.schema.js';

/** Injection token for the validated configuration object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Where log lines go: null for standard output (the default). Tests override it to read the
 * lines a request or a job wrote.
 */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');
export type LogDestination = { write(line: string): void } | null;

@Global()
@Module({
  providers: [
    { provide: APP_CONFIG, useFactory: (): AppConfig => loadConfig() },
    { provide: LOG_DESTINATION, useValue: null },
  ],
  exports: [APP_CONFIG, LOG_DESTINATION],
})
export class AppConfigModule {}
