import { Injectable, NotFoundException } from '@nestjs/common';
import { RuleEnforcementRepository } from '@tempest/db';
import type { SortOrder } from '../common/stackstorm-listing';
import { mapEnforcement, type RuleEnforcementQueryDto, type RuleEnforcementResponseDto } from './rule-enforcement.dto';

@Injectable()
export class RuleEnforcementService {
  constructor(private readonly enforcements: RuleEnforcementRepository) {}

  async search(query: RuleEnforcementQueryDto, order: SortOrder): Promise<RuleEnforcementResponseDto[]> {
    const rules = [query.rule, query.rule_ref, query.rule_id].filter((r): r is string => r !== undefined);
    // Two names for different rules match none.
    if (new Set(rules).size > 1) return [];
    const rows = await this.enforcements.search({
      rule: rules[0],
      triggerInstance: query.trigger_instance,
      execution: query.execution,
      after: query.enforced_at_gt === undefined ? undefined : new Date(query.enforced_at_gt),
      before: query.enforced_at_lt === undefined ? undefined : new Date(query.enforced_at_lt),
      order,
      limit: query.limit,
      offset: query.offset,
    });
    return rows.map(mapEnforcement);
  }

  async get(id: string): Promise<RuleEnforcementResponseDto> {
    const row = await this.enforcements.getById(id);
    if (!row) throw new NotFoundException(`no rule enforcement "${id}"`);
    return mapEnforcement(row);
  }
}
