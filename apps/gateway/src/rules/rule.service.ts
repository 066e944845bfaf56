import { resolve } from 'node:path';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { findRepoRoot, type TempestConfig } from '@tempest/config';
import { ActionRepository, PackRepository, RuleRepository, type Rule, type RuleRecord } from '@tempest/db';
import { MASK, triggerSchemaViolations, validateTimerParameters, WEBHOOK_TRIGGER } from '@tempest/domain';
import { isTemplate } from '@tempest/templating';
import type { Principal } from '../auth/api-key.service';
import { CONFIG } from '../tokens';
import { TriggerTypeService } from '../triggers/trigger-type.service';
import { RuleCatalog } from './rule-catalog';
import type { RuleCreateDto, RuleQueryDto, RuleResponseDto } from './rule.dto';
import { RuleEngine, RuleValidationError, type RuleDefinition } from '@tempest/rules';

/** Where rules made through the API without a pack go, as in StackStorm. */
const DEFAULT_PACK = 'default';

/**
 * Rules through the API. Every change is validated as the engine will run
 * it (compiled; trigger type, parameters, pack and action checked) before
 * anything is written; the database notifies every replica, and this one
 * applies the change before answering.
 */
@Injectable()
export class RuleService {
  constructor(
    private readonly rules: RuleRepository,
    private readonly packs: PackRepository,
    private readonly actions: ActionRepository,
    private readonly triggerTypes: TriggerTypeService,
    private readonly catalog: RuleCatalog,
    @Inject(CONFIG) private readonly config: TempestConfig,
  ) {}

  async search(query: RuleQueryDto): Promise<RuleResponseDto[]> {
    const rows = await this.rules.search({ pack: query.pack, trigger: query.trigger, action: query.action, enabled: query.enabled === undefined ? undefined : query.enabled === 'true', limit: query.limit, offset: query.offset });
    return rows.map((rule) => this.map(rule));
  }

  async get(ref: string): Promise<RuleResponseDto> {
    return this.map(await this.getRow(ref));
  }

  async create(body: RuleCreateDto, principal: Principal): Promise<RuleResponseDto> {
    const record = await this.validate(body, principal.user);
    await this.ensureDefaultPack(record.pack);
    const created = await this.rules.create(record);
    if (!created) throw new ConflictException(`rule "${record.ref}" already exists; PUT /api/v1/rules/${record.ref} replaces it`);
    await this.catalog.refresh(created.ref);
    return this.map(created);
  }

  async replace(ref: string, body: RuleCreateDto, principal: Principal): Promise<RuleResponseDto> {
    const existing = await this.getRow(ref);
    const record = await this.validate(body, principal.user);
    if (record.ref !== ref) throw new BadRequestException(`pack and name make "${record.ref}", not "${ref}": a rule cannot be renamed`);
    await this.ensureDefaultPack(record.pack);
    const updated = await this.rules.update(ref, { ...record, context: { ...record.context, user: existing.context.user ?? existing.created_by } });
    if (!updated) throw new NotFoundException(`no rule "${ref}"`);
    await this.catalog.refresh(ref);
    return this.map(updated);
  }

  async setEnabled(ref: string, enabled: boolean): Promise<RuleResponseDto> {
    const updated = await this.rules.setEnabled(ref, enabled);
    if (!updated) throw new NotFoundException(`no rule "${ref}"`);
    await this.catalog.refresh(ref);
    return this.map(updated);
  }

  async delete(ref: string): Promise<void> {
    if (!(await this.rules.delete(ref))) throw new NotFoundException(`no rule "${ref}"`);
    await this.catalog.refresh(ref);
  }

  /** Everything wrong with the rule, as a 400; otherwise the record to write. */
  /** StackStorm's `default` pack always exists: made on first use when packs/default was not registered. */
  private async ensureDefaultPack(pack: string): Promise<void> {
    if (pack !== DEFAULT_PACK || (await this.packs.getByRef(DEFAULT_PACK))) return;
    await this.packs.upsert({
      ref: DEFAULT_PACK,
      name: DEFAULT_PACK,
      description: 'Default pack where all resources created using the API with no pack specified get saved.',
      version: '1.0.0',
      author: 'Tempest',
      keywords: [],
      dependencies: [],
      path: resolve(findRepoRoot(), this.config.packsDir, DEFAULT_PACK),
      metadata: {},
    });
  }

  private async validate(body: RuleCreateDto, user: string): Promise<RuleRecord> {
    const pack = body.pack ?? DEFAULT_PACK;
    const definition: RuleDefinition = {
      ref: `${pack}.${body.name}`,
      pack,
      name: body.name,
      description: body.description ?? '',
      enabled: body.enabled ?? true,
      type: body.type ?? 'standard',
      trigger: { type: body.trigger.type, parameters: body.trigger.parameters ?? {} },
      criteria: body.criteria ?? {},
      action: { ref: body.action.ref, parameters: body.action.parameters ?? {} },
      context: { ...body.context, user },
    };
    const problems: string[] = [];
    try {
      new RuleEngine([definition]);
    } catch (error) {
      if (!(error instanceof RuleValidationError)) throw error;
      problems.push(error.message);
    }
    if (pack !== DEFAULT_PACK && !(await this.packs.getByRef(pack))) problems.push(`pack: no pack "${pack}" is registered`);
    if (!(await this.actions.getByRef(body.action.ref))) problems.push(`action.ref: no action "${body.action.ref}" is registered`);
    const type = await this.triggerTypes.find(body.trigger.type);
    if (!type) problems.push(`trigger.type: no trigger type "${body.trigger.type}" (GET /api/v1/triggertypes lists them)`);
    else {
      const violations = triggerSchemaViolations('trigger.parameters', definition.trigger.parameters, type.parametersSchema);
      // A timer the schema accepts may still be one Temporal cannot schedule (hour: 25); say so only once.
      problems.push(...(violations.length > 0 ? violations : validateTimerParameters(body.trigger.type, definition.trigger.parameters).map((p) => `trigger.${p}`)));
    }
    if (body.trigger.type === WEBHOOK_TRIGGER && typeof body.trigger.parameters?.url === 'string' && body.trigger.parameters.url.replace(/^\/+|\/+$/g, '') === 'st2') {
      problems.push('trigger.parameters.url: "st2" is the generic webhook (POST /api/v1/webhooks/st2); choose another url');
    }
    if (problems.length > 0) throw new BadRequestException(problems);
    return { ...definition, description: definition.description ?? '', context: definition.context ?? {}, createdBy: user };
  }

  private async getRow(ref: string): Promise<Rule> {
    const rule = await this.rules.getByRef(ref);
    if (!rule) throw new NotFoundException(`no rule "${ref}"`);
    return rule;
  }

  private map(rule: Rule): RuleResponseDto {
    return {
      id: rule.ref,
      uid: `rule:${rule.pack}:${rule.name}`,
      ref: rule.ref,
      pack: rule.pack,
      name: rule.name,
      description: rule.description,
      enabled: rule.enabled,
      type: rule.type,
      trigger: { type: rule.trigger_type, parameters: maskTriggerSecrets(rule.trigger_type, rule.trigger_parameters) },
      criteria: rule.criteria,
      action: { ref: rule.action_ref, parameters: rule.action_parameters },
      context: rule.context,
      metadata_file: rule.metadata_file ?? undefined,
      created_by: rule.created_by,
      registered_at: rule.registered_at.toISOString(),
      updated_at: rule.updated_at.toISOString(),
    };
  }
}

/** A webhook's literal HMAC secret is never shown; a datastore reference ("{{ st2kv.system.x }}") is. */
export function maskTriggerSecrets(triggerType: string, parameters: Record<string, unknown>): Record<string, unknown> {
  if (triggerType !== WEBHOOK_TRIGGER || typeof parameters.hmac_secret !== 'string' || isTemplate(parameters.hmac_secret)) return parameters;
  return { ...parameters, hmac_secret: MASK };
}
