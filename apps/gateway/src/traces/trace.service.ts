import { Injectable, NotFoundException } from '@nestjs/common';
import { TraceRepository } from '@tempest/db';
import { mapEnforcement } from '../enforcements/rule-enforcement.dto';
import { ExecutionService } from '../executions/execution.service';
import { mapTriggerInstance } from '../ingestion/ingestion.dto';
import { traceComponents } from './trace-components';
import type { SortOrder } from '../common/stackstorm-listing';
import type { TraceQueryDto, TraceResponseDto, TraceSummaryDto } from './trace.dto';

/** Most trigger instances one trace shows (a loop of actiontrigger rules could make more). */
const MAX_INSTANCES = 1000;

@Injectable()
export class TraceService {
  constructor(
    private readonly traces: TraceRepository,
    private readonly executions: ExecutionService,
  ) {}

  async search(query: TraceQueryDto, order: SortOrder): Promise<TraceSummaryDto[]> {
    const found = await this.traces.search({ traceTag: query.trace_tag, execution: query.execution, rule: query.rule, triggerInstance: query.trigger_instance, order, limit: query.limit, offset: query.offset });
    const contents = await this.traces.getTraces(found.map((t) => t.trace_tag), MAX_INSTANCES);
    return found.map((t) => ({
      id: t.trace_tag,
      uid: `trace:${t.trace_tag}`,
      trace_tag: t.trace_tag,
      start_timestamp: t.start_timestamp.toISOString(),
      ...traceComponents(contents.get(t.trace_tag) ?? { instances: [], enforcements: [], executions: [] }),
    }));
  }

  async get(tag: string): Promise<TraceResponseDto> {
    const contents = await this.traces.getTrace(tag, MAX_INSTANCES);
    const { instances, enforcements, executions } = contents;
    if (instances.length === 0) throw new NotFoundException(`no trace "${tag}"`);
    return {
      id: tag,
      uid: `trace:${tag}`,
      trace_tag: tag,
      start_timestamp: instances[0].occurrence_time.toISOString(),
      ...traceComponents(contents),
      trigger_instance_details: instances.map(mapTriggerInstance),
      rule_enforcements: enforcements.map(mapEnforcement),
      executions: executions.map((e) => this.executions.map(e)),
    };
  }
}
