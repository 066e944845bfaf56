import { Injectable, NotFoundException } from '@nestjs/common';
import { TriggerInstanceRepository } from '@tempest/db';
import { mapEnforcement } from '../enforcements/rule-enforcement.dto';
import type { SortOrder } from '../common/stackstorm-listing';
import { timeWindow } from '../common/time-window-query.dto';
import type { TriggerInstanceQueryDto, TriggerInstanceResponseDto } from '../triggers/trigger.dto';
import { mapTriggerInstance, type IngestionResponseDto } from './ingestion.dto';
import { IngestionService, type IngestionOutcome } from './ingestion.service';

@Injectable()
export class TriggerInstanceService {
  constructor(
    private readonly instances: TriggerInstanceRepository,
    private readonly ingestion: IngestionService,
  ) {}

  async search(query: TriggerInstanceQueryDto, order: SortOrder): Promise<TriggerInstanceResponseDto[]> {
    const rows = await this.instances.search({ trigger: query.trigger, status: query.status, traceTag: query.trace_tag, ...timeWindow(query), order, limit: query.limit, offset: query.offset });
    return rows.map(mapTriggerInstance);
  }

  async get(id: string): Promise<TriggerInstanceResponseDto> {
    const instance = await this.instances.getById(id);
    if (!instance) throw new NotFoundException(`no trigger instance "${id}"`);
    return mapTriggerInstance(instance);
  }

  async reEmit(id: string): Promise<IngestionResponseDto> {
    return describeOutcome(await this.ingestion.reEmit(id));
  }
}

export function describeOutcome({ instance, enforcements, created }: IngestionOutcome): IngestionResponseDto {
  return {
    trigger_instance_id: instance.id,
    trace_tag: instance.trace_tag,
    trigger: instance.trigger,
    status: instance.status,
    created,
    rule_enforcements: enforcements.map(mapEnforcement),
  };
}
