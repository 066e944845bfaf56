import { Module } from '@nestjs/common';
import { PolicyTypeController } from './policy-type.controller';
import { PolicyController } from './policy.controller';

@Module({ controllers: [PolicyController, PolicyTypeController] })
export class PolicyModule {}
