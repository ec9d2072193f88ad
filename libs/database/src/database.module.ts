import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@snitflow/config';
import { dataSourceOptions } from './data-source.js';

/** TypeORM for a Nest app; options are built in a factory, after config validation. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions({ url: config.DATABASE_URL, applicationName: `snitflow-${process.title}` }),
        // One clear failure at start-up beats minutes of silent retries.
        retryAttempts: 0,
      }),
    }),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
