import { Module } from '@nestjs/common';
import { ActionRepository, type Database } from '@tempest/db';
import { DATABASE } from '../tokens';
import { ActionController } from './action.controller';
import { ActionService } from './action.service';

@Module({
  controllers: [ActionController],
  providers: [ActionService, { provide: ActionRepository, useFactory: (db: Database) => new ActionRepository(db), inject: [DATABASE] }],
})
export class ActionModule {}
