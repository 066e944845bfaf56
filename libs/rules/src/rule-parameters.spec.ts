import { FakeKeyValueLookup } from './fake-key-value-lookup';
import { RuleRenderError, type RuleDefinition, type TriggerEvent } from './rule-definition';
import { renderRuleActionParameters, renderRuleParameters } from './rule-parameters';

function rule(parameters: Record<string, unknown>, context?: Record<string, unknown>): RuleDefinition {
  return {
    ref: 'examples.on_alert',
    pack: 'examples',
    name: 'on_alert',
    enabled: true,
    type: 'standard',
    trigger: { type: 'examples.alert', parameters: {} },
    criteria: {},
    action: { ref: 'core.local', parameters },
    context,
  };
}

const event: TriggerEvent = {
  type: 'examples.alert',
  payload: { host: 'db-01', used: 95.5, count: 3, critical: true, labels: { team: 'dba' }, mounts: ['/', '/var'], note: null },
};

async function renderError(parameters: Record<string, unknown>, kv?: FakeKeyValueLookup): Promise<RuleRenderError> {
  try {
    await renderRuleParameters(rule(parameters), event, kv);
  } catch (error) {
    if (error instanceof RuleRenderError) return error;
    throw error;
  }
  throw new Error('rendering succeeded');
}

describe(renderRuleParameters.name, () => {
  it('fails a parameter over the rendering budget, naming the rule, the parameter and the limit', async () => {
    const error = await renderError({ message: '{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}' });
    expect(error.message).toMatch(/examples\.on_alert.*message.*template exceeds the rendering budget: more than 100000 loop iterations and calls/);
  });

  it('renders a shell command parameter with each output one shell word, payload keys included', async () => {
    const hostile = { host: '$(reboot)', labels: { '`id`': 1, "a'b": 2 } };
    const parameters = { cmd: 'echo {{ trigger.host | to_json_string }} {% for k, v in trigger.labels %}{{ k }} {% endfor %}', message: '{{ trigger.host | to_json_string }}', host: '{{ trigger.host }}' };
    const rendered = await renderRuleParameters(rule(parameters), { ...event, payload: hostile }, undefined, undefined, ['cmd']);
    expect(rendered).toEqual({ cmd: `echo '"$(reboot)"' '\`id\`' 'a'"'"'b' `, message: '"$(reboot)"', host: '$(reboot)' });
  });

  it('renders datastore values as one shell word each in a shell command', async () => {
    const kv = new FakeKeyValueLookup().set('system', 'a', 'x y').set('system', 'a.b', '$(reboot)');
    const rendered = await renderRuleParameters(rule({ cmd: 'echo {{ st2kv.system.a }} {{ st2kv.system.a.b }}' }), event, kv, undefined, ['cmd']);
    expect(rendered.cmd).toBe("echo 'x y' '$(reboot)'");
  });

  it('renders even `{{ trigger.x }}` alone as one shell word in a shell command', async () => {
    const rendered = await renderRuleParameters(rule({ cmd: '{{ trigger.host }}' }), { ...event, payload: { host: 'a; reboot' } }, undefined, undefined, ['cmd']);
    expect(rendered.cmd).toBe("'a; reboot'");
  });

  it('keeps the type of a value that is one expression, and gives text otherwise', async () => {
    const rendered = await renderRuleParameters(
      rule({ host: '{{ trigger.host }}', count: '{{ trigger.count }}', used: '{{ trigger.used }}', critical: '{{ trigger.critical }}', labels: '{{ trigger.labels }}', note: '{{ trigger.note }}', message: '{{ trigger.host }} is at {{ trigger.used }}%', plain: 'no template', number: 7 }),
      event,
    );
    expect(rendered).toEqual({ host: 'db-01', count: 3, used: 95.5, critical: true, labels: { team: 'dba' }, note: null, message: 'db-01 is at 95.5%', plain: 'no template', number: 7 });
  });

  it('renders nested mappings and lists', async () => {
    const rendered = await renderRuleParameters(rule({ target: { hosts: ['{{ trigger.host }}', 'backup-{{ trigger.host }}'], mounts: '{{ trigger.mounts }}' } }), event);
    expect(rendered).toEqual({ target: { hosts: ['db-01', 'backup-db-01'], mounts: ['/', '/var'] } });
  });

  it('hands on copies of payload values, so the action cannot change the event', async () => {
    const rendered = await renderRuleParameters(rule({ labels: '{{ trigger.labels }}' }), event);
    (rendered['labels'] as Record<string, unknown>)['team'] = 'changed';
    expect(event.payload['labels']).toEqual({ team: 'dba' });
  });

  it('gives the rule to templates', async () => {
    expect(await renderRuleParameters(rule({ by: '{{ rule.ref }} for {{ rule.context.user }}' }, { user: 'stanley' }), event)).toEqual({ by: 'examples.on_alert for stanley' });
  });

  it('names the parameter on an undefined variable or a bad template', async () => {
    expect((await renderError({ a: 'ok', target: { hosts: ['{{ trigger.missing }}'] } })).message).toBe('rule examples.on_alert: action parameter target.hosts[0]: {{ trigger.missing }} is undefined');
    const syntax = await renderError({ cmd: 'echo {{ trigger.host' });
    expect([syntax.parameter, syntax.reason]).toEqual(['cmd', expect.stringMatching(/^syntax error: /)]);
  });

  describe('st2kv', () => {
    const kv = () =>
      new FakeKeyValueLookup()
        .set('system', 'smtp_host', 'mail.example.com')
        .set('system', 'app.token', 's3cr3t', { secret: true })
        .set('system', 'app', 'the app')
        .set('system', 'db-01.port', '5432')
        .set('user', 'email', 'stanley@example.com', { user: 'stanley' });

    it('reads system and user keys, a user key for the given user or else the rule context user', async () => {
      const lookup = kv();
      const parameters = { smtp: '{{ st2kv.system.smtp_host }}', to: '{{ st2kv.user.email }}', port: "{{ st2kv.system['db-01.port'] | int }}" };
      expect(await renderRuleParameters(rule(parameters), event, lookup, 'stanley')).toEqual({ smtp: 'mail.example.com', to: 'stanley@example.com', port: 5432 });
      expect(await renderRuleParameters(rule({ to: '{{ st2kv.user.email }}' }, { user: 'stanley' }), event, lookup)).toEqual({ to: 'stanley@example.com' });
      expect(lookup.calls).toContainEqual({ scope: 'user', key: 'email', user: 'stanley', decrypt: false });
    });

    it('reads a missing key as an empty string, as StackStorm', async () => {
      expect(await renderRuleParameters(rule({ x: '[{{ st2kv.system.nothing }}]' }), event, kv())).toEqual({ x: '[]' });
    });

    it('reads dotted keys, also where a shorter key is itself a value', async () => {
      const lookup = kv();
      // Without decrypt_kv a secret gives its ciphertext.
      expect(await renderRuleParameters(rule({ app: '{{ st2kv.system.app }}', token: '{{ st2kv.system.app.token }}', upper: '{{ st2kv.system.app | upper }}' }), event, lookup)).toEqual({
        app: 'the app',
        token: `encrypted:${Buffer.from('s3cr3t').toString('base64')}`,
        upper: 'THE APP',
      });
    });

    it('decrypts with decrypt_kv, fetching the plain value only where asked', async () => {
      const lookup = kv();
      const rendered = await renderRuleParameters(rule({ auth: 'Bearer {{ st2kv.system.app.token | decrypt_kv }}', set: '{% set t = st2kv.system.app.token %}{{ t | decrypt_kv }}' }), event, lookup);
      expect(rendered).toEqual({ auth: 'Bearer s3cr3t', set: 's3cr3t' });
      expect(lookup.calls.filter((call) => call.decrypt)).toEqual([{ scope: 'system', key: 'app.token', user: undefined, decrypt: true }]);
    });

    it('reports which parameters decrypt_kv went into, nested or not, and the plain texts it gave', async () => {
      const secrets = { parameters: new Set<string>(), values: new Set<string>() };
      const parameters = {
        auth: 'Bearer {{ st2kv.system.app.token | decrypt_kv }}',
        headers: { 'X-Token': '{{ st2kv.system.app.token | decrypt_kv }}' },
        sealed: '{{ st2kv.system.app.token }}',
        host: '{{ trigger.host }}',
        plain: '{{ st2kv.system.app }}',
      };
      const rendered = await renderRuleParameters(rule(parameters), event, kv(), undefined, [], secrets);
      expect(rendered).toMatchObject({ auth: 'Bearer s3cr3t', headers: { 'X-Token': 's3cr3t' }, host: 'db-01', plain: 'the app' });
      expect([...secrets.parameters].sort()).toEqual(['auth', 'headers']);
      expect([...secrets.values]).toEqual(['s3cr3t']);
    });

    it('refuses decrypt_kv of a missing key, naming it', async () => {
      expect((await renderError({ token: '{{ st2kv.system.nothing | decrypt_kv }}' }, kv())).reason).toBe('decrypt_kv: datastore item "st2kv.system.nothing" does not exist or is empty');
      expect((await renderError({ token: '{{ trigger.host | decrypt_kv }}' }, kv())).reason).toBe('decrypt_kv: expected a value read from st2kv.system or st2kv.user');
    });

    it('reads keys computed from the payload', async () => {
      const lookup = kv();
      expect(await renderRuleParameters(rule({ port: "{{ st2kv.system[trigger.host ~ '.port'] }}" }), event, lookup)).toEqual({ port: '5432' });
      expect(lookup.calls.map((call) => call.key)).toEqual(['db-01.port']);
    });

    it('reads each key once for all parameters', async () => {
      const lookup = kv();
      await renderRuleParameters(rule({ a: '{{ st2kv.system.smtp_host }}', b: ['{{ st2kv.system.smtp_host }}:25'] }), event, lookup);
      expect(lookup.calls).toHaveLength(1);
    });

    it('says what is missing without a datastore or a user', async () => {
      expect((await renderError({ a: '{{ st2kv.system.smtp_host }}' })).reason).toBe('st2kv: no datastore is available here');
      expect((await renderError({ a: '{{ st2kv.user.email }}' }, kv())).reason).toBe('st2kv.user needs a user: the rule has no context.user');
      expect((await renderError({ a: '{{ st2kv.system }}' }, kv())).reason).toBe('st2kv.system is not a value: name a key, st2kv.system.<key>');
    });
  });
});

describe(renderRuleActionParameters.name, () => {
  it("quotes a shell runner's cmd, and only a shell runner's", async () => {
    const hostile = { ...event, payload: { host: '$(reboot)' } };
    const parameters = { cmd: 'echo {{ trigger.host }}' };
    expect(await renderRuleActionParameters(rule(parameters), 'local-shell-cmd', hostile)).toEqual({ cmd: "echo '$(reboot)'" });
    expect(await renderRuleActionParameters(rule(parameters), 'remote-shell-cmd', hostile)).toEqual({ cmd: "echo '$(reboot)'" });
    expect(await renderRuleActionParameters(rule(parameters), 'http-request', hostile)).toEqual({ cmd: 'echo $(reboot)' });
  });
});
