import { Module } from '@nestjs/common';
import { TimerController } from './timer.controller';
import { TimerService } from './timer.service';

/** Timer rules as Temporal Schedules (see TimerService), and their listing. */
@Module({ controllers: [TimerController], providers: [TimerService] })
export class TimerModule {}
