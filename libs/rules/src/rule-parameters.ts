import { shellCommandParameters } from '@tempest/domain';
import { isTemplate, TemplateError } from '@tempest/templating';
import { formatRulePath, RuleRenderError, type KeyValueLookup, type RuleDefinition, type TriggerEvent } from './rule-definition';
import { compileTemplate, KeyValueSession, renderRuleTemplate, type RuleTemplate } from './rule-templates';

// Parsing is the costly part of a template; a rule's parameters repeat across events.
const CACHE_SIZE = 1000;
const parsed = new Map<string, RuleTemplate>();

function template(source: string): RuleTemplate {
  let compiled = parsed.get(source);
  if (!compiled) {
    compiled = compileTemplate(source);
    if (parsed.size >= CACHE_SIZE) parsed.delete(parsed.keys().next().value!);
    parsed.set(source, compiled);
  }
  return compiled;
}

/** A payload value handed on by a template, copied so the action cannot change the event. */
const copy = (value: unknown): unknown => (typeof value === 'object' && value !== null ? structuredClone(value) : value);

/** What renderRuleParameters reports of the secrets it decrypted. */
export interface RenderedSecrets {
  /** Parameters whose value was rendered with decrypt_kv: secret, whatever the action says. */
  readonly parameters: Set<string>;
  /** The plain texts decrypt_kv gave, for keeping them out of messages. */
  readonly values: Set<string>;
}

/**
 * The action parameters of a matched rule, rendered with Jinja from `trigger`
 * (the payload), `st2kv.system`, `st2kv.user` (for `user`, else the rule's
 * context.user; `decrypt_kv` for secrets) and `rule` (ref, pack, name,
 * context). Strings in nested mappings and lists are rendered too. A value
 * that is exactly one `{{ expression }}` keeps the expression's type
 * (`{{ trigger.count }}` gives a number); other templates give text; values
 * without templates are kept as they are. The parameters named in `shell`
 * (a shell runner's `cmd`) are shell command lines: each `{{ }}` output in
 * them is one shell word, after its filters (RenderOptions.shell). Throws
 * RuleRenderError naming the parameter on an undefined variable, a bad
 * template or one over the rendering budget.
 */
export async function renderRuleParameters(
  rule: RuleDefinition,
  event: TriggerEvent,
  kv?: KeyValueLookup,
  user?: string,
  shell: readonly string[] = [],
  secrets?: RenderedSecrets,
): Promise<Record<string, unknown>> {
  const contextUser = typeof rule.context?.['user'] === 'string' ? rule.context['user'] : undefined;
  const session = new KeyValueSession(kv, user ?? contextUser, ['system', 'user']);
  const context = { trigger: event.payload, rule: { ref: rule.ref, pack: rule.pack, name: rule.name, context: rule.context ?? {} } };

  const render = async (value: unknown, path: (string | number)[]): Promise<unknown> => {
    if (isTemplate(value)) {
      try {
        return copy(await renderRuleTemplate(template(value), context, session, { shell: path.length === 1 && shell.includes(String(path[0])) }));
      } catch (error) {
        if (error instanceof TemplateError) throw new RuleRenderError(rule.ref, formatRulePath(path), error.message);
        throw error;
      }
    }
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (const [i, item] of value.entries()) items.push(await render(item, [...path, i]));
      return items;
    }
    if (typeof value === 'object' && value !== null) {
      const rendered: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) rendered[key] = await render(item, [...path, key]);
      return rendered;
    }
    return value;
  };

  const parameters: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(rule.action.parameters ?? {})) {
    const decryptions = session.decryptions;
    try {
      parameters[name] = await render(value, [name]);
    } finally {
      if (secrets) session.decryptedValues.forEach((text) => secrets.values.add(text));
    }
    if (secrets && session.decryptions > decryptions) secrets.parameters.add(name);
  }
  return parameters;
}

/**
 * The parameters a matched rule gives an action of `runnerType`, rendered as
 * its enforcement renders them (a shell runner's `cmd` as a command line);
 * `tempest rule test` calls this too, so what it shows is what would run.
 */
export function renderRuleActionParameters(rule: RuleDefinition, runnerType: string, event: TriggerEvent, kv?: KeyValueLookup, user?: string, secrets?: RenderedSecrets): Promise<Record<string, unknown>> {
  return renderRuleParameters(rule, event, kv, user, shellCommandParameters(runnerType), secrets);
}
