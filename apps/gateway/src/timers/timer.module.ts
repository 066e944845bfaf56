import { Module } from '@nestjs/common';
import { TimerService } from './timer.service';

/** Timer rules as Temporal Schedules (see TimerService). */
@Module({ providers: [TimerService] })
export class TimerModule {}
