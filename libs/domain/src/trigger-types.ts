import { schemaViolations } from './parameter-resolution';
import type { ParameterSpec } from './parameters';

/** A trigger type: what an event of that kind carries (payload) and how a rule narrows it (parameters). */
export interface TriggerTypeDefinition {
  ref: string;
  pack: string;
  name: string;
  description: string;
  parametersSchema: Record<string, unknown>;
  payloadSchema: Record<string, unknown>;
}

export const WEBHOOK_TRIGGER = 'core.st2.webhook';
export const ACTION_TRIGGER = 'core.st2.generic.actiontrigger';
export const INQUIRY_TRIGGER = 'core.st2.generic.inquiry';

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });
const TIMER_PAYLOAD = object({ executed_at: { type: 'string', format: 'date-time' }, schedule: { type: ['object', 'null'] } });
const TIMEZONE = { type: 'string', description: 'IANA time zone, e.g. Europe/Paris (default UTC)' };
const KV_OBJECT = { type: 'object', description: 'The key-value pair: name, scope, value (masked if secret), secret, expire_timestamp' };
const PROCESS = { type: 'object', description: 'The sensor process: id, ref, pid, exit code' };

function builtin(name: string, description: string, payloadSchema: Record<string, unknown>, parametersSchema: Record<string, unknown> = {}): TriggerTypeDefinition {
  return { ref: `core.${name}`, pack: 'core', name, description, parametersSchema, payloadSchema };
}

/** StackStorm's built-in trigger types, under the names StackStorm gives them. */
export const BUILTIN_TRIGGER_TYPES: readonly TriggerTypeDefinition[] = [
  builtin(
    'st2.webhook',
    'An HTTP POST to /api/v1/webhooks/{url}',
    object({ headers: { type: 'object' }, body: {} }),
    object(
      {
        url: { type: 'string', required: true, description: 'The path under /api/v1/webhooks/' },
        hmac_secret: { type: 'string', secret: true, description: 'Accept requests signed with this secret (X-Tempest-Signature or X-Hub-Signature-256: sha256=<hex HMAC of the body>) without an API key; may be "{{ st2kv.system.name }}"' },
      },
      { additionalProperties: false },
    ),
  ),
  builtin('st2.IntervalTimer', 'Fires every `delta` `unit`s', TIMER_PAYLOAD, object(
    {
      timezone: TIMEZONE,
      unit: { type: 'string', required: true, enum: ['weeks', 'days', 'hours', 'minutes', 'seconds'] },
      delta: { type: 'integer', required: true, minimum: 1 },
    },
    { additionalProperties: false },
  )),
  builtin('st2.DateTimer', 'Fires once, at `date`', TIMER_PAYLOAD, object({ timezone: TIMEZONE, date: { type: 'string', required: true, description: 'ISO 8601 date-time' } }, { additionalProperties: false })),
  builtin('st2.CronTimer', 'Fires on a cron schedule', TIMER_PAYLOAD, object(
    Object.fromEntries([['timezone', TIMEZONE], ...['year', 'month', 'day', 'week', 'day_of_week', 'hour', 'minute', 'second'].map((field) => [field, { type: ['integer', 'string'] }])]),
    { additionalProperties: false },
  )),
  builtin('st2.generic.actiontrigger', 'An execution finished', object({
    execution_id: { type: 'string' },
    status: { type: 'string' },
    start_timestamp: { type: 'string' },
    action_name: { type: 'string' },
    action_ref: { type: 'string' },
    runner_ref: { type: 'string' },
    parameters: { type: 'object' },
    result: {},
  })),
  // StackStorm's NOTIFY_TRIGGER (constants/triggers.py): one instance per route of a due notify section.
  builtin('st2.generic.notifytrigger', 'An execution with notify ended: one per route', object({
    execution_id: { type: 'string' },
    status: { type: 'string' },
    start_timestamp: { type: 'string' },
    end_timestamp: { type: 'string' },
    action_ref: { type: 'string' },
    runner_ref: { type: 'string' },
    channel: { type: 'string' },
    route: { type: 'string' },
    message: {},
    data: {},
  })),
  builtin('st2.generic.inquiry', 'An inquiry asks for a response (core.ask): `id` is its execution, `route` for rules to pick who to ask', object({
    id: { type: 'string' },
    route: { type: 'string' },
  })),
  builtin('st2.sensor.process_spawn', 'A sensor process started', object({ object: PROCESS })),
  builtin('st2.sensor.process_exit', 'A sensor process exited', object({ object: PROCESS })),
  builtin('st2.key_value_pair.create', 'A key-value pair was created', object({ object: KV_OBJECT })),
  builtin('st2.key_value_pair.update', 'A key-value pair was written', object({ object: KV_OBJECT })),
  builtin('st2.key_value_pair.value_change', 'A key-value pair\'s value changed', object({ old_object: KV_OBJECT, new_object: KV_OBJECT })),
  builtin('st2.key_value_pair.delete', 'A key-value pair was deleted', object({ object: KV_OBJECT })),
];

export function findBuiltinTriggerType(ref: string): TriggerTypeDefinition | undefined {
  return BUILTIN_TRIGGER_TYPES.find((t) => t.ref === ref);
}

/**
 * JSON schema as trigger types write it, in the form the parameter checks
 * read: a `required: [names]` list (draft 4) becomes `required: true` on each
 * property (StackStorm's form).
 */
function normalize(schema: Record<string, unknown>): ParameterSpec {
  const { required, properties, items, additionalProperties, ...rest } = schema;
  const names = Array.isArray(required) ? (required as string[]) : [];
  const spec: Record<string, unknown> = { ...rest };
  if (typeof required === 'boolean') spec.required = required;
  if (properties && typeof properties === 'object') {
    spec.properties = Object.fromEntries(
      Object.entries(properties as Record<string, Record<string, unknown>>).map(([name, child]) => {
        const normalized = normalize(child ?? {});
        return [name, names.includes(name) ? { ...normalized, required: true } : normalized];
      }),
    );
    for (const name of names) if (!(name in (spec.properties as object))) (spec.properties as Record<string, ParameterSpec>)[name] = { required: true };
  } else if (names.length > 0) {
    spec.properties = Object.fromEntries(names.map((name) => [name, { required: true }]));
  }
  if (items && typeof items === 'object') spec.items = normalize(items as Record<string, unknown>);
  if (additionalProperties !== undefined) spec.additionalProperties = typeof additionalProperties === 'object' ? normalize(additionalProperties as Record<string, unknown>) : (additionalProperties as boolean);
  return spec as ParameterSpec;
}

/** Every way `value` breaks the trigger type's schema, each naming the field (`payload.body.alerts[0]: ...`). */
export function triggerSchemaViolations(path: string, value: unknown, schema: Record<string, unknown>): string[] {
  if (Object.keys(schema).length === 0) return [];
  return schemaViolations(path, value, normalize(schema));
}

/**
 * The trigger parameters events are matched on: a webhook's hmac_secret
 * authenticates its requests; events carry only the url.
 */
export function matchedTriggerParameters(type: string, parameters: Record<string, unknown>): Record<string, unknown> {
  if (type !== WEBHOOK_TRIGGER || !('hmac_secret' in parameters)) return parameters;
  const { hmac_secret: _secret, ...matched } = parameters;
  return matched;
}
