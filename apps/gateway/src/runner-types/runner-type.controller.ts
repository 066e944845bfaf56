import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { RUNNER_TYPES } from '@tempest/domain';

export class RunnerTypeResponseDto {
  @ApiProperty({ example: 'local-shell-cmd', description: 'Its name: runner types have no other identity' })
  id!: string;

  @ApiProperty({ example: 'runner_type:local-shell-cmd', description: "StackStorm's uid form" })
  uid!: string;

  @ApiProperty({ example: 'local-shell-cmd' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ description: 'Whether Tempest runs it today (StackStorm\'s `enabled`)' })
  enabled!: boolean;

  @ApiProperty({ description: 'Whether actions name a file to run in entry_point' })
  needs_entry_point!: boolean;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Runner parameters every action of this runner has' })
  runner_parameters!: Record<string, unknown>;

  @ApiProperty({ description: 'Whether Tempest runs it today; actions of the others register, and running one answers 400 saying so' })
  available!: boolean;
}

export class RunnerTypeQueryDto {
  @ApiPropertyOptional({ description: 'Only the runner type of that name (as StackStorm\'s `st2 run` asks)' })
  @IsOptional()
  @IsString()
  name?: string;
}

const toDto = (r: (typeof RUNNER_TYPES)[number]): RunnerTypeResponseDto => ({
  id: r.name,
  uid: `runner_type:${r.name}`,
  name: r.name,
  description: r.description,
  enabled: r.available,
  needs_entry_point: r.needsEntryPoint,
  runner_parameters: r.parameters,
  available: r.available,
});

@ApiTags('runnertypes')
@Controller('runnertypes')
export class RunnerTypeController {
  @Get()
  @ApiOkResponse({ type: [RunnerTypeResponseDto] })
  getRunnerTypes(@Query() query: RunnerTypeQueryDto): RunnerTypeResponseDto[] {
    return RUNNER_TYPES.filter((r) => query.name === undefined || r.name === query.name).map(toDto);
  }

  @Get(':name')
  @ApiOkResponse({ type: RunnerTypeResponseDto })
  @ApiNotFoundResponse({ description: 'No such runner type' })
  getRunnerType(@Param('name') name: string): RunnerTypeResponseDto {
    const found = RUNNER_TYPES.find((r) => r.name === name);
    if (!found) throw new NotFoundException(`runner type "${name}" not found`);
    return toDto(found);
  }
}
