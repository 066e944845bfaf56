import { Module } from '@nestjs/common';
import { PackRepository, type Database } from '@tempest/db';
import { DATABASE } from '../tokens';
import { PackController } from './pack.controller';
import { PackService } from './pack.service';

@Module({
  controllers: [PackController],
  providers: [PackService, { provide: PackRepository, useFactory: (db: Database) => new PackRepository(db), inject: [DATABASE] }],
})
export class PackModule {}
