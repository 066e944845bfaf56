import { Module } from '@nestjs/common';
import { SensorTypeRepository, type Database } from '@tempest/db';
import { DATABASE } from '../tokens';
import { SensorTypeController } from './sensor-type.controller';
import { SensorTypeService } from './sensor-type.service';

@Module({
  controllers: [SensorTypeController],
  providers: [SensorTypeService, { provide: SensorTypeRepository, useFactory: (db: Database) => new SensorTypeRepository(db), inject: [DATABASE] }],
})
export class SensorTypeModule {}
