import { BUILTIN_TRIGGER_TYPES, findBuiltinTriggerType, triggerSchemaViolations } from './trigger-types';

describe(triggerSchemaViolations.name, () => {
  const schema = { type: 'object', properties: { host: { type: 'string' }, alerts: { type: 'array', items: { type: 'object', properties: { level: { type: 'integer' } } } } }, required: ['host'] };

  it('names every field that breaks the schema, required lists included', () => {
    expect(triggerSchemaViolations('payload', { host: 'web-1', alerts: [{ level: 2 }] }, schema)).toEqual([]);
    expect(triggerSchemaViolations('payload', { alerts: [{ level: 'high' }] }, schema)).toEqual(['payload.host: required', 'payload.alerts[0].level: expected integer, got string "high"']);
    expect(triggerSchemaViolations('payload', 'text', schema)).toEqual(['payload: expected object, got string "text"']);
  });

  it('accepts anything when the trigger type has no schema', () => {
    expect(triggerSchemaViolations('payload', { anything: [1] }, {})).toEqual([]);
  });

  it('checks rule parameters of the built-in types as StackStorm defines them', () => {
    const webhook = findBuiltinTriggerType('core.st2.webhook')!;
    expect(triggerSchemaViolations('trigger.parameters', { url: 'alerts', hmac_secret: 's' }, webhook.parametersSchema)).toEqual([]);
    expect(triggerSchemaViolations('trigger.parameters', { uri: 'alerts' }, webhook.parametersSchema)).toEqual(['trigger.parameters.url: required', 'trigger.parameters.uri: not allowed']);
    const interval = findBuiltinTriggerType('core.st2.IntervalTimer')!;
    expect(triggerSchemaViolations('trigger.parameters', { unit: 'fortnights', delta: 0 }, interval.parametersSchema)).toEqual([
      'trigger.parameters.unit: "fortnights" is not one of "weeks", "days", "hours", "minutes", "seconds"',
      'trigger.parameters.delta: 0 is less than the minimum 1',
    ]);
  });

  it('has every built-in StackStorm names', () => {
    expect(BUILTIN_TRIGGER_TYPES.map((t) => t.ref)).toEqual([
      'core.st2.webhook', 'core.st2.IntervalTimer', 'core.st2.DateTimer', 'core.st2.CronTimer', 'core.st2.generic.actiontrigger', 'core.st2.generic.notifytrigger', 'core.st2.generic.inquiry',
      'core.st2.sensor.process_spawn', 'core.st2.sensor.process_exit',
      'core.st2.key_value_pair.create', 'core.st2.key_value_pair.update', 'core.st2.key_value_pair.value_change', 'core.st2.key_value_pair.delete',
    ]);
  });
});
