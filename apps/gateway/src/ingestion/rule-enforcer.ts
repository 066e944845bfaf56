import { Injectable } from '@nestjs/common';
import { ActionRepository, RuleEnforcementRepository, type RuleEnforcement, type TriggerInstance } from '@tempest/db';
import { DatastoreService } from '@tempest/datastore';
import { Optional } from '@nestjs/common';
import { MASK, runnerUnavailableReason } from '@tempest/domain';
import { ExecutionLauncher } from '../executions/execution-launcher';
import { ruleUser } from '../rules/rule-mapping';
import { renderRuleActionParameters, RuleRenderError, type RenderedSecrets, type RuleDefinition, type TriggerEvent } from '@tempest/rules';
import { derivedId } from './derived-id';
import { asLiterals } from './literal-parameters';

/**
 * Enforces one matched rule for one trigger instance, as StackStorm's
 * enforcer: renders the action's parameters from the trigger, validates them
 * against the action, starts the execution and records the enforcement, or
 * records why it could not. The execution id derives from the instance and
 * the rule, so enforcing again (a retry, a recovery) runs nothing twice.
 */
@Injectable()
export class RuleEnforcer {
  constructor(
    private readonly actions: ActionRepository,
    private readonly enforcements: RuleEnforcementRepository,
    private readonly launcher: ExecutionLauncher,
    @Optional() private readonly datastore?: DatastoreService,
  ) {}

  async enforce(rule: RuleDefinition, instance: TriggerInstance, event: TriggerEvent): Promise<RuleEnforcement> {
    const record = (outcome: { executionId?: string; failureReason?: string }) => this.enforcements.record({ triggerInstanceId: instance.id, ruleRef: rule.ref, ...outcome });
    const executionId = derivedId(instance.id, rule.ref);
    const user = ruleUser(rule);
    const action = await this.actions.getByRef(rule.action.ref);
    if (!action) return record({ failureReason: `action ${rule.action.ref} is not registered` });
    if (!action.enabled) return record({ failureReason: `action ${rule.action.ref} is disabled` });
    const unavailable = runnerUnavailableReason(action.runner_type);
    if (unavailable) return record({ failureReason: `action ${rule.action.ref} cannot run: ${unavailable}` });

    // What decrypt_kv gave is secret, and so is each parameter it went into; no failure reason quotes it.
    const secrets: RenderedSecrets = { parameters: new Set(), values: new Set() };
    const unquoted = (reason: string) => [...secrets.values].sort((a, b) => b.length - a.length).reduce((text, secret) => text.split(secret).join(MASK), reason);
    let rendered: Record<string, unknown>;
    try {
      // A shell runner's cmd is a command line: each {{ }} in it renders as one shell word, after its filters.
      rendered = await renderRuleActionParameters(rule, action.runner_type, event, this.datastore, user, secrets);
    } catch (error) {
      if (error instanceof RuleRenderError) return record({ failureReason: unquoted(`rendering error: ${error.message}`) });
      throw error;
    }

    const context = { rule: rule.ref, trigger_instance: instance.id, trigger: instance.trigger, trace_tag: instance.trace_tag };
    const { provided, actionContext } = asLiterals(rendered);
    const prepared = await this.launcher.prepare(action, provided, { executionId, user, extra: { ...context, ...actionContext } }, [...secrets.parameters]);
    if (!prepared.ok) return record({ failureReason: unquoted(`invalid parameters: ${prepared.violations.join('; ')}`) });
    await this.launcher.launch({
      id: executionId,
      action,
      parameters: prepared,
      context: { user, source: 'rule', ...context },
      attributes: { rule: rule.ref, trigger: instance.trigger, triggerInstance: instance.id },
      idempotent: true,
    });
    return record({ executionId });
  }
}
