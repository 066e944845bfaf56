import { Module } from '@nestjs/common';
import { TriggerTypeController } from './trigger-type.controller';
import { TriggerTypeService } from './trigger-type.service';

@Module({ controllers: [TriggerTypeController], providers: [TriggerTypeService], exports: [TriggerTypeService] })
export class TriggerModule {}
