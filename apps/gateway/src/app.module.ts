import { Module, type DynamicModule } from '@nestjs/common';
import type { TempestConfig } from '@tempest/config';
import type { Logger } from '@tempest/logging';
import { ActionModule } from './actions/action.module';
import { AuthModule } from './auth/auth.module';
import { ExecutionModule } from './executions/execution.module';
import { HealthModule } from './health/health.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { InquiryModule } from './inquiries/inquiry.module';
import { ActionAliasModule } from './aliases/action-alias.module';
import { InfrastructureModule } from './infrastructure.module';
import { KeyValueModule } from './keys/key-value.module';
import { PackModule } from './packs/pack.module';
import { PolicyModule } from './policies/policy.module';
import { RuleModule } from './rules/rule.module';
import { RunnerTypeController } from './runner-types/runner-type.controller';
import { SensorTypeModule } from './sensors/sensor-type.module';
import { StreamModule } from './stream/stream.module';
import { TimerModule } from './timers/timer.module';
import { TriggerModule } from './triggers/trigger.module';
import { WorkflowModule } from './workflows/workflow.module';

@Module({})
export class AppModule {
  static forRoot(config: TempestConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [InfrastructureModule.forRoot(config, logger), AuthModule, HealthModule, PackModule, ActionModule, ExecutionModule, KeyValueModule, TriggerModule, RuleModule, IngestionModule, TimerModule, SensorTypeModule, WorkflowModule, InquiryModule, ActionAliasModule, StreamModule, PolicyModule],
      controllers: [RunnerTypeController],
    };
  }
}
