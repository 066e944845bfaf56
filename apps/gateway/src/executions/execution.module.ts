import { Module } from '@nestjs/common';
import { ExecutionLauncher } from './execution-launcher';
import { ExecutionController } from './execution.controller';
import { ExecutionService } from './execution.service';

@Module({ controllers: [ExecutionController], providers: [ExecutionService, ExecutionLauncher], exports: [ExecutionLauncher, ExecutionService] })
export class ExecutionModule {}
