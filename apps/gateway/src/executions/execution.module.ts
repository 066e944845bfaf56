import { Module } from '@nestjs/common';
import { ActionRepository, ExecutionRepository, type Database } from '@tempest/db';
import { DATABASE } from '../tokens';
import { ExecutionController } from './execution.controller';
import { ExecutionService } from './execution.service';

@Module({
  controllers: [ExecutionController],
  providers: [
    ExecutionService,
    { provide: ActionRepository, useFactory: (db: Database) => new ActionRepository(db), inject: [DATABASE] },
    { provide: ExecutionRepository, useFactory: (db: Database) => new ExecutionRepository(db), inject: [DATABASE] },
  ],
})
export class ExecutionModule {}
