import { Module } from '@nestjs/common';
import { WorkflowInspectionController } from './workflow-inspection.controller';
import { WorkflowInspectionService } from './workflow-inspection.service';

@Module({ controllers: [WorkflowInspectionController], providers: [WorkflowInspectionService] })
export class WorkflowModule {}
