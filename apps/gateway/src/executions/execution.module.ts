import { Module } from '@nestjs/common';
import { ExecutionChanges } from './execution-changes';
import { ExecutionLauncher } from './execution-launcher';
import { ExecutionController } from './execution.controller';
import { ExecutionService } from './execution.service';
import { RequestedExecutionReaper } from './requested-reaper';

@Module({ controllers: [ExecutionController], providers: [ExecutionService, ExecutionChanges, ExecutionLauncher, RequestedExecutionReaper], exports: [ExecutionLauncher, ExecutionService] })
export class ExecutionModule {}
