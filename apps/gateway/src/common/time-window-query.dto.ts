import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional } from 'class-validator';
import { PageQueryDto } from './page-query.dto';

/**
 * A listing of things that happen in time (executions, trigger instances):
 * Tempest's `since`/`until`, and StackStorm's `timestamp_gt`/`timestamp_lt`
 * (`st2 execution list -tg/-tl`, `st2 trigger-instance list -tg/-tl`).
 */
export class TimeWindowQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'At or after' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'since must be an ISO 8601 date-time' })
  since?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Before' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'until must be an ISO 8601 date-time' })
  until?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: "After (StackStorm's name; `since` is inclusive)" })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'timestamp_gt must be an ISO 8601 date-time' })
  timestamp_gt?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: "Before (StackStorm's name for `until`)" })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'timestamp_lt must be an ISO 8601 date-time' })
  timestamp_lt?: Date;
}

/** The window as the repositories take it: at or after `since`, after `after`, before `until` (the earlier of until and timestamp_lt). */
export function timeWindow(query: TimeWindowQueryDto): { since?: Date; after?: Date; until?: Date } {
  const until = [query.until, query.timestamp_lt].filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
  return { since: query.since, after: query.timestamp_gt, until };
}
