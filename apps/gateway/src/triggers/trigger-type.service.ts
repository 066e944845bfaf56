import { Injectable, NotFoundException } from '@nestjs/common';
import { TriggerTypeRepository, type TriggerTypeRow } from '@tempest/db';
import { BUILTIN_TRIGGER_TYPES, findBuiltinTriggerType, type TriggerTypeDefinition } from '@tempest/domain';
import type { TriggerTypeResponseDto } from './trigger.dto';

/** Trigger types: StackStorm's built-ins (core.st2.*) and those packs define. */
@Injectable()
export class TriggerTypeService {
  constructor(private readonly types: TriggerTypeRepository) {}

  async getAll(pack?: string): Promise<TriggerTypeResponseDto[]> {
    const builtins = BUILTIN_TRIGGER_TYPES.filter((t) => !pack || t.pack === pack).map((t) => this.map(t, true));
    const registered = (await this.types.search({ pack })).map((row) => this.map(this.definition(row), false, row.metadata_file));
    return [...builtins, ...registered].sort((a, b) => (a.ref < b.ref ? -1 : 1));
  }

  async get(ref: string): Promise<TriggerTypeResponseDto> {
    const builtin = findBuiltinTriggerType(ref);
    if (builtin) return this.map(builtin, true);
    const row = await this.types.getByRef(ref);
    if (!row) throw new NotFoundException(`no trigger type "${ref}"`);
    return this.map(this.definition(row), false, row.metadata_file);
  }

  /** The trigger type, or undefined when nothing defines it. */
  async find(ref: string): Promise<TriggerTypeDefinition | undefined> {
    const builtin = findBuiltinTriggerType(ref);
    if (builtin) return builtin;
    const row = await this.types.getByRef(ref);
    return row ? this.definition(row) : undefined;
  }

  private definition(row: TriggerTypeRow): TriggerTypeDefinition {
    return { ref: row.ref, pack: row.pack, name: row.name, description: row.description, parametersSchema: row.parameters_schema, payloadSchema: row.payload_schema };
  }

  private map(type: TriggerTypeDefinition, builtin: boolean, metadataFile?: string): TriggerTypeResponseDto {
    return {
      ref: type.ref,
      pack: type.pack,
      name: type.name,
      description: type.description,
      parameters_schema: type.parametersSchema,
      payload_schema: type.payloadSchema,
      builtin,
      metadata_file: metadataFile,
    };
  }
}
