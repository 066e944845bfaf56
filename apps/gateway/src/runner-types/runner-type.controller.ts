import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RUNNER_TYPES } from '@tempest/domain';

export class RunnerTypeResponseDto {
  @ApiProperty({ example: 'local-shell-cmd' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ description: 'Whether actions name a file to run in entry_point' })
  needs_entry_point!: boolean;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Runner parameters every action of this runner has' })
  runner_parameters!: Record<string, unknown>;

  @ApiProperty({ description: 'Whether Tempest runs it today; actions of the others register, and running one answers 400 saying so' })
  available!: boolean;
}

@ApiTags('runnertypes')
@Controller('runnertypes')
export class RunnerTypeController {
  @Get()
  @ApiOkResponse({ type: [RunnerTypeResponseDto] })
  getRunnerTypes(): RunnerTypeResponseDto[] {
    return RUNNER_TYPES.map((r) => ({ name: r.name, description: r.description, needs_entry_point: r.needsEntryPoint, runner_parameters: r.parameters, available: r.available }));
  }
}
