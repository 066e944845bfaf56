import { Module } from '@nestjs/common';
import { ActionAliasController } from './action-alias.controller';

@Module({ controllers: [ActionAliasController] })
export class ActionAliasModule {}
