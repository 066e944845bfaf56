import { readFile } from 'node:fs/promises';
import { ApiError, type Rule, type TempestClient } from '@tempest/client';
import { matchedTriggerParameters, toRef } from '@tempest/domain';
import { formatRulePath, renderRuleActionParameters, RuleEngine, RuleRenderError, validateRule, type KeyValueLookup, type RuleDefinition, type TriggerEvent } from '@tempest/rules';
import { parse } from 'yaml';
import { details, table } from '../format';
import { UsageError } from '../parameters';
import { emit, type CommandContext } from './context';

export interface RuleOptions {
  pack?: string;
  trigger?: string;
  action?: string;
  rule?: string;
  'trigger-instance'?: string;
  execution?: string;
  status?: string;
  limit?: string;
}

const DEFAULT_LIST_LIMIT = 50;

const USAGE = 'tempest rule list [--pack P] [--trigger T] [--action A] [--limit N] | get <ref> | enable <ref> | disable <ref> | delete <ref> | test --rule FILE --trigger-instance FILE|ID';

function describeRule(rule: Rule): string {
  return details([
    ['ref', rule.ref],
    ['enabled', rule.enabled],
    ['description', rule.description || undefined],
    ['trigger', rule.trigger],
    ['criteria', rule.criteria],
    ['action', rule.action],
    ['type', rule.type],
    ['file', rule.metadata_file],
    ['created by', rule.created_by],
  ]);
}

/** `tempest rule ...`, StackStorm's `st2 rule` and `st2-rule-tester`. */
export async function ruleCommand(context: CommandContext, [sub, ref]: string[], options: RuleOptions): Promise<number> {
  const needRef = () => {
    if (!ref) throw new UsageError(`tempest rule ${sub} <ref>`);
    return ref;
  };
  switch (sub) {
    case 'list': {
      const limit = options.limit === undefined ? DEFAULT_LIST_LIMIT : Number(options.limit);
      const rules = await context.client.listRules({ pack: options.pack, trigger: options.trigger, action: options.action, limit });
      emit(context, rules, () => table(['ref', 'enabled', 'trigger', 'action', 'description'], rules.map((r) => [r.ref, String(r.enabled), r.trigger.type, r.action.ref, r.description])));
      // The API answers one page: say so when there may be more, as st2 does.
      if (rules.length === limit && !context.json) context.printError(`Note: only the first ${limit} rules are shown; use --limit N (at most 100) for more.`);
      return 0;
    }
    case 'get': {
      const rule = await context.client.getRule(needRef());
      emit(context, rule, () => describeRule(rule));
      return 0;
    }
    case 'enable':
    case 'disable': {
      const rule = await context.client.setRuleEnabled(needRef(), sub === 'enable');
      emit(context, rule, () => `${rule.ref}: ${rule.enabled ? 'enabled' : 'disabled'}`);
      return 0;
    }
    case 'delete': {
      await context.client.deleteRule(needRef());
      emit(context, { ref, deleted: true }, () => `${ref}: deleted`);
      return 0;
    }
    case 'test':
      return testRule(context, options);
    default:
      throw new UsageError(USAGE);
  }
}

/**
 * Whether the rule in a file matches a trigger instance (a file, or the id of
 * a stored one), and the parameters it would give its action, computed here
 * with the rules engine the gateway runs; nothing runs. Exit code 0 when it
 * matches, 1 when not, as st2-rule-tester.
 */
async function testRule(context: CommandContext, options: RuleOptions): Promise<number> {
  const ruleFile = options.rule;
  const instanceSource = options['trigger-instance'];
  if (!ruleFile || !instanceSource) throw new UsageError('tempest rule test --rule FILE --trigger-instance FILE|ID');
  const rule = await readRule(ruleFile);
  const event = await readEvent(context.client, instanceSource);
  const kv = datastoreThroughApi(context.client);
  const engine = new RuleEngine([{ ...rule, enabled: true, trigger: { ...rule.trigger, parameters: matchedTriggerParameters(rule.trigger.type, rule.trigger.parameters) } }]);
  const { matched, errors } = await engine.match(event, kv);
  const result: { rule: string; matches: boolean; reason?: string; parameters?: Record<string, unknown> } = { rule: rule.ref, matches: matched.length > 0 };
  if (errors.length > 0) result.reason = `criteria could not be evaluated: ${errors[0].error}`;
  else if (!result.matches) result.reason = event.type !== rule.trigger.type ? `the trigger is ${event.type}, the rule's is ${rule.trigger.type}` : 'the trigger parameters or the criteria do not match';
  const runnerType = result.matches ? await runnerTypeOf(context.client, rule.action.ref) : undefined;
  if (result.matches && !runnerType) result.reason = `matches, but action ${rule.action.ref} is not registered`;
  if (runnerType) {
    try {
      // Rendered as the rule's enforcement renders them, for this action's runner (a shell runner's cmd quoted).
      result.parameters = await renderRuleActionParameters(rule, runnerType, event, kv);
    } catch (error) {
      if (!(error instanceof RuleRenderError)) throw error;
      result.reason = `matches, but the action's parameters do not render: ${error.message}`;
    }
  }
  emit(context, result, () =>
    details([
      ['rule', rule.ref],
      ['matches', result.matches ? 'yes' : 'no'],
      ['reason', result.reason],
      ['action', result.matches ? rule.action.ref : undefined],
      ['parameters', result.parameters],
    ]),
  );
  return result.matches && result.parameters ? 0 : 1;
}

/** A rule file as a pack holds it (rules/*.yaml); problems name the field. */
async function readRule(file: string): Promise<RuleDefinition> {
  const data = parse(await readText(file)) as Record<string, any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!data || typeof data !== 'object') throw new UsageError(`${file}: expected a rule (name, pack, trigger, criteria, action)`);
  const pack = typeof data.pack === 'string' ? data.pack : 'default';
  const rule: RuleDefinition = {
    ref: toRef(pack, String(data.name)),
    pack,
    name: String(data.name),
    description: data.description,
    enabled: data.enabled ?? false,
    type: data.type?.ref ?? 'standard',
    trigger: { type: data.trigger?.type, parameters: data.trigger?.parameters ?? {} },
    criteria: data.criteria ?? {},
    action: { ref: data.action?.ref, parameters: data.action?.parameters ?? {} },
    context: data.context,
  };
  const problems = validateRule(rule);
  if (problems.length > 0) throw new UsageError(problems.map((p) => `${file}: ${formatRulePath(p.path)}: ${p.message}`).join('\n'));
  return rule;
}

/** A trigger instance from a file ({trigger, parameters?, payload}, YAML or JSON), or a stored one by id. */
async function readEvent(client: TempestClient, source: string): Promise<TriggerEvent> {
  const text = await readFile(source, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new UsageError(`${source}: ${error.message}`);
  });
  const instance = (text === undefined ? await client.getTriggerInstance(source) : parse(text)) as { trigger?: unknown; parameters?: unknown; payload?: unknown } | null;
  const trigger = typeof instance?.trigger === 'object' && instance.trigger !== null ? (instance.trigger as { type?: unknown }).type : instance?.trigger;
  if (typeof trigger !== 'string' || typeof instance?.payload !== 'object' || instance.payload === null) {
    throw new UsageError(`${source}: expected a trigger instance: {trigger: <trigger type ref>, parameters: {...}, payload: {...}}`);
  }
  return { type: trigger, parameters: (instance.parameters as Record<string, unknown>) ?? {}, payload: instance.payload as Record<string, unknown> };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
}

/** The runner type of the rule's action, or undefined when no such action is registered. */
async function runnerTypeOf(client: TempestClient, ref: string): Promise<string | undefined> {
  try {
    return (await client.getAction(ref)).runner_type;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** st2kv.system.x and st2kv.user.x in the rule, read from the gateway's datastore as the caller. */
function datastoreThroughApi(client: TempestClient): KeyValueLookup {
  return {
    async get(scope, key, { user, decrypt }) {
      try {
        return (await client.getKey(key, { scope, user, decrypt: decrypt || undefined })).value;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
      }
    },
  };
}

/** `tempest trigger list`: the trigger types. */
export async function triggerCommand(context: CommandContext, [sub]: string[], options: { pack?: string }): Promise<number> {
  if (sub !== 'list') throw new UsageError('tempest trigger list [--pack P]');
  const types = await context.client.listTriggerTypes(options.pack);
  emit(context, types, () => table(['ref', 'description'], types.map((t) => [t.ref, t.description])));
  return 0;
}

/** `tempest triggerinstance list|get|re-emit`. */
export async function triggerInstanceCommand(context: CommandContext, [sub, id]: string[], options: RuleOptions): Promise<number> {
  const needId = () => {
    if (!id) throw new UsageError(`tempest triggerinstance ${sub} <id>`);
    return id;
  };
  switch (sub) {
    case 'list': {
      const instances = await context.client.listTriggerInstances({ trigger: options.trigger, status: options.status as never, limit: options.limit === undefined ? undefined : Number(options.limit) });
      emit(context, instances, () => table(['id', 'trigger', 'status', 'occurred', 'trace tag'], instances.map((i) => [i.id, i.trigger, i.status, i.occurrence_time, i.trace_tag])));
      return 0;
    }
    case 'get': {
      const instance = await context.client.getTriggerInstance(needId());
      emit(context, instance, () =>
        details([['id', instance.id], ['trigger', instance.trigger], ['parameters', instance.parameters], ['status', instance.status], ['error', instance.error], ['occurred', instance.occurrence_time], ['trace tag', instance.trace_tag], ['source', instance.source], ['payload', instance.payload]]),
      );
      return 0;
    }
    case 're-emit': {
      const outcome = await context.client.reEmitTriggerInstance(needId());
      emit(context, outcome, () =>
        [`re-emitted as ${outcome.trigger_instance_id} (${outcome.status}, trace ${outcome.trace_tag})`, ...outcome.rule_enforcements.map((e) => `  ${e.rule_ref}: ${e.execution_id ? `execution ${e.execution_id}` : `failed: ${e.failure_reason}`}`)].join('\n'),
      );
      return 0;
    }
    default:
      throw new UsageError('tempest triggerinstance list [--trigger T] [--status S] [--limit N] | get <id> | re-emit <id>');
  }
}

/** `tempest trace get <id>`: one event and everything it caused. */
export async function traceCommand(context: CommandContext, [sub, id]: string[]): Promise<number> {
  if (sub !== 'get' || !id) throw new UsageError('tempest trace get <trace tag | trigger instance id>');
  const trace = await context.client.getTrace(id);
  emit(context, trace, () =>
    [
      `trace ${trace.trace_tag}`,
      'trigger instances:',
      ...trace.trigger_instance_details.map((i) => `  ${i.id}  ${i.trigger}  ${i.status}  ${i.occurrence_time}`),
      'rule enforcements:',
      ...trace.rule_enforcements.map((e) => `  ${e.rule_ref} (instance ${e.trigger_instance_id}) -> ${e.execution_id ? `execution ${e.execution_id}` : `failed: ${e.failure_reason}`}`),
      'executions:',
      ...trace.executions.map((e) => `  ${e.id}  ${e.action.ref}  ${e.status}${e.parent ? `  (parent ${e.parent})` : ''}`),
    ].join('\n'),
  );
  return 0;
}
