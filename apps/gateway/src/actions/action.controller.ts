import { Body, Controller, Get, Param, Patch, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ActionResponseDto, ActionUpdateDto } from './action.dto';
import { ActionService } from './action.service';

@ApiTags('actions')
@Controller('actions')
export class ActionController {
  constructor(private readonly service: ActionService) {}

  @Get()
  @ApiQuery({ name: 'pack', required: false, description: 'Only the actions of this pack' })
  @ApiQuery({ name: 'name', required: false, description: 'Only the actions of this name (StackStorm\'s `Client.actions.get_by_name`)' })
  @ApiOkResponse({ type: [ActionResponseDto] })
  async getActions(@Query('pack') pack?: string, @Query('name') name?: string): Promise<ActionResponseDto[]> {
    const actions = await this.service.getAll(pack);
    return name === undefined ? actions : actions.filter((action) => action.name === name);
  }

  @Get(':ref')
  @ApiOkResponse({ type: ActionResponseDto })
  @ApiNotFoundResponse({ description: 'No action with that ref is registered' })
  getAction(@Param('ref') ref: string): Promise<ActionResponseDto> {
    return this.service.get(ref);
  }

  @Patch(':ref')
  @ApiOkResponse({ type: ActionResponseDto, description: 'Enabled or disabled; stays so until its metadata changes' })
  @ApiBadRequestResponse({ description: 'The body is not {"enabled": true|false}' })
  @ApiNotFoundResponse({ description: 'No action with that ref is registered' })
  updateAction(@Param('ref') ref: string, @Body() body: ActionUpdateDto): Promise<ActionResponseDto> {
    return this.service.setEnabled(ref, body.enabled);
  }

  @Put(':ref')
  @ApiBody({ type: ActionUpdateDto, description: "The action as GET answers it, `enabled` changed (what `st2 action enable|disable` sends): only `enabled` is applied, and a change to any other field is refused, naming it (it comes from the pack's files)" })
  @ApiOkResponse({ type: ActionResponseDto, description: 'Enabled or disabled; stays so until its metadata changes' })
  @ApiBadRequestResponse({ description: 'No boolean enabled, or another field changed' })
  @ApiNotFoundResponse({ description: 'No action with that ref is registered' })
  // A plain object, not a DTO: the echo holds every field of the action, which enabledFromEcho checks.
  replaceAction(@Param('ref') ref: string, @Body() body: object): Promise<ActionResponseDto> {
    return this.service.replace(ref, body);
  }
}
