import { Module, type DynamicModule } from '@nestjs/common';
import type { TempestConfig } from '@tempest/config';
import type { Logger } from '@tempest/logging';
import { ActionModule } from './actions/action.module';
import { AuthModule } from './auth/auth.module';
import { ExecutionModule } from './executions/execution.module';
import { HealthModule } from './health/health.module';
import { InfrastructureModule } from './infrastructure.module';
import { PackModule } from './packs/pack.module';
import { RunnerTypeController } from './runner-types/runner-type.controller';

@Module({})
export class AppModule {
  static forRoot(config: TempestConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [InfrastructureModule.forRoot(config, logger), AuthModule, HealthModule, PackModule, ActionModule, ExecutionModule],
      controllers: [RunnerTypeController],
    };
  }
}
