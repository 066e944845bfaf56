import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ActionAliasRepository, type ActionAlias } from '@tempest/db';
import { ActionAliasQueryDto, ActionAliasResponseDto } from './action-alias.dto';

/** StackStorm's action aliases, as packs register them: listed and read (matching chat text to them is ChatOps, not here). */
@ApiTags('actionalias')
@Controller('actionalias')
export class ActionAliasController {
  constructor(private readonly aliases: ActionAliasRepository) {}

  @Get()
  @ApiOkResponse({ type: [ActionAliasResponseDto], description: 'By ref' })
  async getActionAliases(@Query() query: ActionAliasQueryDto): Promise<ActionAliasResponseDto[]> {
    return (await this.aliases.search({ pack: query.pack, limit: query.limit, offset: query.offset })).map(toResponse);
  }

  @Get(':ref')
  @ApiOkResponse({ type: ActionAliasResponseDto })
  @ApiNotFoundResponse({ description: 'No such alias' })
  async getActionAlias(@Param('ref') ref: string): Promise<ActionAliasResponseDto> {
    const alias = await this.aliases.getByRef(ref);
    if (!alias) throw new NotFoundException(`no action alias "${ref}"`);
    return toResponse(alias);
  }
}

function toResponse(alias: ActionAlias): ActionAliasResponseDto {
  const metadata = alias.metadata as Record<string, unknown>;
  const optional = (key: string) => (metadata[key] !== undefined ? { [key]: metadata[key] } : {});
  return {
    id: alias.ref,
    ref: alias.ref,
    uid: `action_alias:${alias.pack}:${alias.name}`,
    name: alias.name,
    pack: alias.pack,
    description: alias.description,
    enabled: alias.enabled,
    action_ref: alias.action_ref,
    formats: alias.formats as unknown[],
    ...optional('ack'),
    ...optional('result'),
    ...optional('immutable_parameters'),
    metadata_file: alias.metadata_file,
  };
}
