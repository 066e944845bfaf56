import { Injectable, NotFoundException } from '@nestjs/common';
import { RuleEnforcementRepository } from '@tempest/db';
import { mapEnforcement, type RuleEnforcementQueryDto, type RuleEnforcementResponseDto } from './rule-enforcement.dto';

@Injectable()
export class RuleEnforcementService {
  constructor(private readonly enforcements: RuleEnforcementRepository) {}

  async search(query: RuleEnforcementQueryDto): Promise<RuleEnforcementResponseDto[]> {
    const rows = await this.enforcements.search({ rule: query.rule, triggerInstance: query.trigger_instance, execution: query.execution, limit: query.limit, offset: query.offset });
    return rows.map(mapEnforcement);
  }

  async get(id: string): Promise<RuleEnforcementResponseDto> {
    const row = await this.enforcements.getById(id);
    if (!row) throw new NotFoundException(`no rule enforcement "${id}"`);
    return mapEnforcement(row);
  }
}
