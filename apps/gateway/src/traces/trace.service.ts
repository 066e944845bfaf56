import { Injectable, NotFoundException } from '@nestjs/common';
import { TraceRepository } from '@tempest/db';
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
    private readonly executions: ExecutionService,
  ) {}

  async search(query: TraceQueryDto): Promise<TraceSummaryDto[]> {
    return (await this.traces.search(query)).map((t) => ({ id: t.trace_tag, uid: `trace:${t.trace_tag}`, trace_tag: t.trace_tag, start_timestamp: t.start_timestamp.toISOString(), trigger_instances: t.trigger_instances }));
  }

  async get(tag: string): Promise<TraceResponseDto> {
    const { instances, enforcements, executions } = await this.traces.getTrace(tag, MAX_INSTANCES);
    if (instances.length === 0) throw new NotFoundException(`no trace "${tag}"`);
    return {
      id: tag,
      trace_tag: tag,
      trigger_instances: instances.map(mapTriggerInstance),
      rule_enforcements: enforcements.map(mapEnforcement),
      executions: executions.map((e) => this.executions.map(e)),
    };
  }
}
