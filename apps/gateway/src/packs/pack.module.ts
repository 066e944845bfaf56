import { Module } from '@nestjs/common';
import { PackController } from './pack.controller';
import { RuleModule } from '../rules/rule.module';
import { PackService } from './pack.service';

@Module({ imports: [RuleModule], controllers: [PackController], providers: [PackService] })
export class PackModule {}
