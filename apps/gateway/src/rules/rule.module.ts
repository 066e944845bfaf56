import { Module } from '@nestjs/common';
import { TriggerModule } from '../triggers/trigger.module';
import { RuleCatalog } from './rule-catalog';
import { RuleController } from './rule.controller';
import { RuleService } from './rule.service';

@Module({ imports: [TriggerModule], controllers: [RuleController], providers: [RuleCatalog, RuleService], exports: [RuleCatalog] })
export class RuleModule {}
