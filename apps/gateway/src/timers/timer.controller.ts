import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { TempestConfig } from '@tempest/config';
import { RuleRepository } from '@tempest/db';
import { CONFIG } from '../tokens';
import { mapTimer, TimerQueryDto, TimerResponseDto } from './timer.dto';
import { timersInUse } from './timers-in-use';

@ApiTags('rules')
@Controller('timers')
export class TimerController {
  constructor(
    private readonly rules: RuleRepository,
    @Inject(CONFIG) private readonly config: TempestConfig,
  ) {}

  @Get()
  @ApiOkResponse({ type: [TimerResponseDto], description: 'The timers rules use, one per distinct trigger type and parameters (what `st2 timer list` shows)' })
  async getTimers(@Query() query: TimerQueryDto): Promise<TimerResponseDto[]> {
    const timers = [...(await this.timers()).values()].filter((t) => !query.timer_type || t.timer.type === query.timer_type);
    return timers.sort((a, b) => a.id.localeCompare(b.id)).map(mapTimer);
  }

  @Get(':id')
  @ApiOkResponse({ type: TimerResponseDto })
  @ApiNotFoundResponse({ description: 'No rule uses a timer with this id' })
  async getTimer(@Param('id') id: string): Promise<TimerResponseDto> {
    const timer = (await this.timers()).get(id);
    if (!timer) throw new NotFoundException(`no timer "${id}": no rule uses a timer with this id (GET /api/v1/timers lists them)`);
    return mapTimer(timer);
  }

  private timers() {
    return timersInUse(this.rules, this.config.temporal.taskQueue);
  }
}
