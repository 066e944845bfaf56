import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RuleEnforcementController } from '../enforcements/rule-enforcement.controller';
import { RuleEnforcementService } from '../enforcements/rule-enforcement.service';
import { ExecutionModule } from '../executions/execution.module';
import { RuleModule } from '../rules/rule.module';
import { TraceController } from '../traces/trace.controller';
import { TraceService } from '../traces/trace.service';
import { TriggerModule } from '../triggers/trigger.module';
import { WebhookController } from '../webhooks/webhook.controller';
import { WebhookService } from '../webhooks/webhook.service';
import { DatastoreEvents } from './datastore-events';
import { IngestionService } from './ingestion.service';
import { PendingInstanceProcessor } from './pending-instances';
import { RuleEnforcer } from './rule-enforcer';
import { TriggerInstanceController } from './trigger-instance.controller';
import { TriggerInstanceService } from './trigger-instance.service';

/** From event to started executions: webhooks, trigger instances, rule enforcements, traces. */
@Module({
  imports: [AuthModule, TriggerModule, RuleModule, ExecutionModule],
  controllers: [WebhookController, TriggerInstanceController, RuleEnforcementController, TraceController],
  providers: [IngestionService, RuleEnforcer, PendingInstanceProcessor, DatastoreEvents, WebhookService, TriggerInstanceService, RuleEnforcementService, TraceService],
  exports: [IngestionService],
})
export class IngestionModule {}
