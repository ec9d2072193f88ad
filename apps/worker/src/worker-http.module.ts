import { Module } from '@nestjs/common';
import { WorkerHealthController } from './health.controller.js';
import { WorkerModule } from './worker.module.js';

/** The worker with its health and metrics port (main.ts); tests may run WorkerModule alone. */
@Module({ imports: [WorkerModule], controllers: [WorkerHealthController] })
export class WorkerHttpModule {}
