import { Injectable, NotFoundException } from '@nestjs/common';
import { enabledFromEcho } from '../common/echoed-update';
import { ActionRepository, type Action } from '@tempest/db';
import type { ActionResponseDto } from './action.dto';

@Injectable()
export class ActionService {
  constructor(private readonly actions: ActionRepository) {}

  async getAll(pack?: string): Promise<ActionResponseDto[]> {
    return (await this.actions.search({ pack })).map((action) => this.map(action));
  }

  async get(ref: string): Promise<ActionResponseDto> {
    const action = await this.actions.getByRef(ref);
    if (!action) throw new NotFoundException(`no action "${ref}" is registered`);
    return this.map(action);
  }

  /** A PUT of the resource as read, `enabled` changed (see enabledFromEcho). */
  async replace(ref: string, echoed: object): Promise<ActionResponseDto> {
    const current = await this.get(ref);
    return this.setEnabled(ref, enabledFromEcho(echoed, current, current.metadata_file));
  }

  async setEnabled(ref: string, enabled: boolean): Promise<ActionResponseDto> {
    const action = await this.actions.setEnabled(ref, enabled);
    if (!action) throw new NotFoundException(`no action "${ref}" is registered`);
    return this.map(action);
  }

  private map(action: Action): ActionResponseDto {
    return {
      id: action.ref,
      uid: `action:${action.pack}:${action.name}`,
      ref: action.ref,
      pack: action.pack,
      name: action.name,
      description: action.description,
      runner_type: action.runner_type,
      entry_point: action.entry_point ?? undefined,
      enabled: action.enabled,
      parameters: action.parameters,
      output_schema: action.output_schema ?? undefined,
      tags: action.tags,
      metadata_file: action.metadata_file,
      registered_at: action.registered_at.toISOString(),
      updated_at: action.updated_at.toISOString(),
    };
  }
}
