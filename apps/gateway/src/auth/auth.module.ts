import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ActionTokenPolicy } from './action-token.policy';
import { ApiKeyController } from './api-key.controller';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyService } from './api-key.service';
import { UserController } from './user.controller';

/** Every route needs an API key unless it is marked @Public(); an action's token reaches only routes marked @AllowActionToken(). */
@Module({
  controllers: [ApiKeyController, UserController],
  providers: [ApiKeyService, ActionTokenPolicy, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [ApiKeyService],
})
export class AuthModule {}
