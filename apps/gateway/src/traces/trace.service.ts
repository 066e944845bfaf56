import { Injectable, NotFoundException } from '@nestjs/common';
import { RuleEnforcementRepository, TraceRepository, TriggerInstanceRepository } from '@tempest/db';
import { mapEnforcement } from '../enforcements/rule-enforcement.dto';
import { ExecutionService } from '../executions/execution.service';
import { mapTriggerInstance } from '../ingestion/ingestion.dto';
import type { TraceQueryDto, TraceResponseDto, TraceSummaryDto } from './trace.dto';

/** Most trigger instances one trace shows (a loop of actiontrigger rules could make more). */
const MAX_INSTANCES = 1000;

@Injectable()
export class TraceService {
  constructor(
    private readonly traces: TraceRepository,
    private readonly instances: TriggerInstanceRepository,
    private readonly enforcements: RuleEnforcementRepository,
    private readonly executions: ExecutionService,
  ) {}

  async search(query: TraceQueryDto): Promise<TraceSummaryDto[]> {
    return (await this.traces.search(query)).map((t) => ({ id: t.trace_tag, trace_tag: t.trace_tag, start_timestamp: t.start_timestamp.toISOString(), trigger_instances: t.trigger_instances }));
  }

  async get(tag: string): Promise<TraceResponseDto> {
    const instances = (await this.instances.search({ traceTag: tag, limit: MAX_INSTANCES, offset: 0 })).reverse();
    if (instances.length === 0) throw new NotFoundException(`no trace "${tag}"`);
    const enforcements = await this.enforcements.getForTriggerInstances(instances.map((i) => i.id));
    const started = enforcements.map((e) => e.execution_id).filter((id): id is string => id !== null);
    const executions = await this.traces.executionTree(started);
    return {
      id: tag,
      trace_tag: tag,
      trigger_instances: instances.map(mapTriggerInstance),
      rule_enforcements: enforcements.map(mapEnforcement),
      executions: executions.map((e) => this.executions.map(e)),
    };
  }
}
