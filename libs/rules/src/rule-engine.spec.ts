import { FakeKeyValueLookup } from './fake-key-value-lookup';
import { RuleValidationError, type RuleDefinition, type TriggerEvent } from './rule-definition';
import { RuleEngine } from './rule-engine';

function rule(name: string, criteria: Record<string, unknown> = {}, overrides: Partial<RuleDefinition> = {}): RuleDefinition {
  return {
    ref: `examples.${name}`,
    pack: 'examples',
    name,
    enabled: true,
    type: 'standard',
    trigger: { type: 'examples.alert', parameters: {} },
    criteria,
    action: { ref: 'core.noop', parameters: {} },
    ...overrides,
  };
}

const alert = (payload: Record<string, unknown>): TriggerEvent => ({ type: 'examples.alert', payload });

async function matches(criteria: Record<string, unknown>, payload: Record<string, unknown>, kv?: FakeKeyValueLookup): Promise<boolean | string> {
  const result = await new RuleEngine([rule('r', criteria)]).match(alert(payload), kv);
  return result.errors.length > 0 ? `error: ${result.errors[0].error}` : result.matched.length === 1;
}

function validationError(criteria: Record<string, unknown>): RuleValidationError {
  try {
    new RuleEngine([rule('bad', criteria)]);
  } catch (error) {
    if (error instanceof RuleValidationError) return error;
    throw error;
  }
  throw new Error('the rule compiled');
}

describe(RuleEngine.name, () => {
  describe('criteria keys', () => {
    const payload = {
      severity: 'critical',
      host: { name: 'db-01', tags: ['prod', 'eu'] },
      alerts: [{ labels: { instance: 'db-01' } }, { labels: { instance: 'db-02' } }],
      headers: { 'X-Custom-Header': 'yes' },
      cleared: null,
    };

    it.each([
      ['trigger.severity', 'critical'],
      ['trigger.host.name', 'db-01'],
      ['trigger.host.tags[1]', 'eu'],
      ['trigger.host.tags[-1]', 'eu'],
      ['trigger.host.tags.0', 'prod'],
      ["trigger.headers['X-Custom-Header']", 'yes'],
      ['trigger.headers["X-Custom-Header"]', 'yes'],
      ['trigger.alerts[1].labels.instance', 'db-02'],
      ['trigger.alerts[*].labels.instance', 'db-01'], // the first value found
    ])('%s reads %j', async (key, expected) => {
      expect(await matches({ [key]: { type: 'equals', pattern: expected } }, payload)).toBe(true);
    });

    it('reads a missing key and a null value as None', async () => {
      for (const key of ['trigger.nothing', 'trigger.host.nothing.deeper', 'trigger.host.tags[5]', 'trigger.cleared', 'trigger.severity.length']) {
        expect([key, await matches({ [key]: { type: 'nexists', pattern: '' } }, payload)]).toEqual([key, true]);
      }
      expect(await matches({ 'trigger.host': { type: 'exists', pattern: '' } }, payload)).toBe(true);
    });

    it('applies several checks to one key through #tags, all of which must hold', async () => {
      const criteria = { 'trigger.host.name#1': { type: 'startswith', pattern: 'db-' }, 'trigger.host.name#2': { type: 'ncontains', pattern: 'staging' } };
      expect(await matches(criteria, payload)).toBe(true);
      expect(await matches(criteria, { host: { name: 'db-staging-1' } })).toBe(false);
    });

    it('ANDs criteria in order: the first that fails decides, and later ones are not evaluated', async () => {
      const criteria = { 'trigger.kind': { type: 'equals', pattern: 'disk' }, 'trigger.used': { type: 'greaterthan', pattern: 90 } };
      expect(await matches(criteria, { kind: 'disk', used: 95 })).toBe(true);
      expect(await matches(criteria, { kind: 'disk', used: 50 })).toBe(false);
      // used is missing: None > 90 would fail, but kind already ruled the event out.
      expect(await matches(criteria, { kind: 'cpu' })).toBe(false);
    });

    it('reports a criterion that cannot be evaluated, naming it, instead of matching', async () => {
      expect(await matches({ 'trigger.used': { type: 'greaterthan', pattern: 90 } }, { kind: 'disk' })).toBe(
        `error: criteria["trigger.used"] (greaterthan): '<' not supported between instances of 'int' and 'NoneType'`,
      );
      expect(await matches({ 'trigger.msg': { type: 'contains', pattern: 'x' } }, { other: 1 })).toBe(`error: criteria["trigger.msg"] (contains): argument of type 'NoneType' is not iterable`);
    });

    it('never matches criteria against an empty payload, as StackStorm', async () => {
      expect(await matches({ 'trigger.x': { type: 'nexists', pattern: '' } }, {})).toBe(false);
      expect(await matches({}, {})).toBe(true);
    });
  });

  describe('Jinja patterns', () => {
    it('render with the payload as trigger, keeping the type of a single expression', async () => {
      const criteria = { 'trigger.used': { type: 'greaterthan', pattern: '{{ trigger.threshold }}' } };
      expect(await matches(criteria, { used: 95, threshold: 90 })).toBe(true);
      expect(await matches(criteria, { used: 85, threshold: 90 })).toBe(false);
      expect(await matches({ 'trigger.path': { type: 'startswith', pattern: '/mnt/{{ trigger.volume }}' } }, { path: '/mnt/data/x', volume: 'data' })).toBe(true);
    });

    it('read st2kv.system, fetching each key once per event', async () => {
      const kv = new FakeKeyValueLookup().set('system', 'disk.threshold', '90');
      const engine = new RuleEngine([
        rule('a', { 'trigger.used': { type: 'greaterthan', pattern: '{{ st2kv.system.disk.threshold | int }}' } }),
        rule('b', { 'trigger.used': { type: 'lessthan', pattern: "{{ st2kv.system['disk.threshold'] | int + 10 }}" } }),
      ]);
      const result = await engine.match(alert({ used: 95 }), kv);
      expect(result).toEqual({ matched: [engine.get('examples.a'), engine.get('examples.b')], errors: [] });
      expect(kv.calls).toEqual([{ scope: 'system', key: 'disk.threshold', user: undefined, decrypt: false }]);
    });

    it('reports a pattern that fails to render, and st2kv without a datastore', async () => {
      expect(await matches({ 'trigger.x': { type: 'equals', pattern: '{{ trigger.missing }}' } }, { x: 1 })).toBe(
        'error: criteria["trigger.x"] (equals): pattern "{{ trigger.missing }}" failed to render: {{ trigger.missing }} is undefined',
      );
      expect(await matches({ 'trigger.x': { type: 'equals', pattern: '{{ st2kv.system.x }}' } }, { x: 1 })).toMatch(/st2kv: no datastore is available here/);
    });

    it('report a pattern over the rendering budget, and go on matching', async () => {
      const bomb = '{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}';
      expect(await matches({ 'trigger.x': { type: 'equals', pattern: bomb } }, { x: 1 })).toMatch(
        /^error: criteria\["trigger.x"\] \(equals\): pattern .* failed to render: template exceeds the rendering budget: more than 100000 loop iterations and calls/,
      );
      expect(await matches({ 'trigger.x': { type: 'equals', pattern: '{{ trigger.x }}' } }, { x: 1 })).toBe(true);
    });

    it('match a catastrophic regex from the payload in linear time', async () => {
      const started = performance.now();
      expect(await matches({ 'trigger.x': { type: 'regex', pattern: '{{ trigger.re }}' } }, { x: `${'a'.repeat(40)}!`.repeat(100), re: '(a+)+$' })).toBe(false);
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('refuse a rendered pattern the operator cannot use', async () => {
      expect(await matches({ 'trigger.x': { type: 'regex', pattern: '{{ trigger.re }}' } }, { x: 'a', re: '(' })).toMatch(/^error: criteria\["trigger.x"\] \(regex\): pattern "\(": invalid regular expression/);
    });
  });

  describe('or and not groups', () => {
    const criteria = {
      'trigger.severity': { type: 'equals', pattern: 'critical' },
      or: [{ 'trigger.host': { type: 'startswith', pattern: 'db-' } }, { 'trigger.service': { type: 'equals', pattern: 'postgres' }, 'trigger.env': { type: 'equals', pattern: 'prod' } }],
      not: { 'trigger.silenced': { type: 'equals', pattern: true } },
    };

    it.each([
      [{ severity: 'critical', host: 'db-01' }, true],
      [{ severity: 'critical', host: 'web-01', service: 'postgres', env: 'prod' }, true],
      [{ severity: 'critical', host: 'web-01', service: 'postgres', env: 'dev' }, false],
      [{ severity: 'warning', host: 'db-01' }, false],
      [{ severity: 'critical', host: 'db-01', silenced: true }, false],
    ])('%j: %s', async (payload, expected) => expect(await matches(criteria, payload)).toBe(expected));

    it('take #tags, nest, and ignore a failing branch when another holds', async () => {
      const nested = {
        'or#hosts': [{ 'trigger.count': { type: 'greaterthan', pattern: 5 } }, { 'trigger.host': { type: 'equals', pattern: 'db-01' } }],
        'not#1': { or: [{ 'trigger.env': { type: 'equals', pattern: 'dev' } }, { 'trigger.env': { type: 'equals', pattern: 'test' } }] },
      };
      expect(await matches(nested, { host: 'db-01', env: 'prod' })).toBe(true); // count is missing: its branch fails, the other holds
      expect(await matches(nested, { host: 'db-01', env: 'test' })).toBe(false);
      expect(await matches(nested, { host: 'web-01', env: 'prod' })).toMatch(/^error: criteria\["or#hosts"\]\[0\]\["trigger.count"\] \(greaterthan\)/);
    });

    it('never turn a failure into a match through not', async () => {
      expect(await matches({ not: { 'trigger.count': { type: 'lessthan', pattern: 5 } } }, { other: 1 })).toMatch(/^error: /);
    });
  });

  describe('search', () => {
    const tanks = (...levels: unknown[]) => ({ tanks: levels.map((chemicalLevel, id) => ({ id, chemicalLevel })) });
    const outOfRange = { 'item.chemicalLevel#1': { type: 'lessthan', pattern: 40 }, 'item.chemicalLevel#2': { type: 'greaterthan', pattern: 50 } };
    const search = (condition: string, pattern: Record<string, unknown>) => ({ 'trigger.tanks': { type: 'search', condition, pattern } });

    it('any: some item matches every child criterion', async () => {
      const approved = { 'item.field_name': { type: 'equals', pattern: 'Status' }, 'item.to_value': { type: 'equals', pattern: 'Approved' } };
      const fields = (...items: [string, string][]) => ({ fields: items.map(([field_name, to_value]) => ({ field_name, to_value })) });
      const criteria = { 'trigger.fields': { type: 'search', condition: 'any', pattern: approved } };
      expect(await matches(criteria, fields(['Status', 'Approved'], ['Signed off by', 'Stanley']))).toBe(true);
      expect(await matches(criteria, fields(['Status', 'Open'], ['Resolution', 'Approved']))).toBe(false);
    });

    it('all: every item matches every child criterion (and an empty list does)', async () => {
      const custom = search('all', { 'item.chemicalLevel': { type: 'greaterthan', pattern: 10 } });
      expect(await matches(custom, tanks(43, 55))).toBe(true);
      expect(await matches(custom, tanks(43, 5))).toBe(false);
      expect(await matches(custom, tanks())).toBe(true);
    });

    it('any2any: some item matches some child criterion', async () => {
      expect(await matches(search('any2any', outOfRange), tanks(43, 55))).toBe(true);
      expect(await matches(search('any2any', outOfRange), tanks(43, 45))).toBe(false);
      expect(await matches(search('any2any', outOfRange), tanks())).toBe(false);
    });

    it('all2any: every item matches some child criterion', async () => {
      expect(await matches(search('all2any', outOfRange), tanks(30, 55))).toBe(true);
      expect(await matches(search('all2any', outOfRange), tanks(30, 45))).toBe(false);
    });

    it('treats a mapping as a list of one item', async () => {
      expect(await matches({ 'trigger.tank': { type: 'search', condition: 'all2any', pattern: outOfRange } }, { tank: { chemicalLevel: 30 } })).toBe(true);
    });

    it('counts a child criterion that fails on an item as false, reporting it only if the search fails', async () => {
      expect(await matches(search('any', { 'item.chemicalLevel': { type: 'greaterthan', pattern: 50 } }), tanks(null, 55))).toBe(true);
      expect(await matches(search('any', { 'item.chemicalLevel': { type: 'greaterthan', pattern: 50 } }), tanks(null, 45))).toMatch(
        /^error: criteria\["trigger.tanks"\].pattern\["item.chemicalLevel"\] \(greaterthan\)/,
      );
    });

    it('fails on a value that is not a list', async () => {
      expect(await matches(search('any', outOfRange), { tanks: 5 })).toBe(`error: criteria["trigger.tanks"] (search): 'int' object is not iterable`);
    });

    it('nests, with or/not and Jinja patterns reading item and trigger', async () => {
      const criteria = {
        'trigger.alerts': {
          type: 'search',
          condition: 'any',
          pattern: {
            'item.labels': { type: 'search', condition: 'any', pattern: { 'item.name': { type: 'equals', pattern: 'severity' }, 'item.value': { type: 'equals', pattern: '{{ trigger.wanted }}' } } },
            not: { 'item.status': { type: 'equals', pattern: 'resolved' } },
          },
        },
      };
      const alerts = (status: string) => ({ wanted: 'critical', alerts: [{ status, labels: [{ name: 'host', value: 'db' }, { name: 'severity', value: 'critical' }] }] });
      expect(await matches(criteria, alerts('firing'))).toBe(true);
      expect(await matches(criteria, alerts('resolved'))).toBe(false);
    });
  });

  describe('validation', () => {
    it.each([
      [{ 'trigger.x': { type: 'equal', pattern: 1 } }, 'criteria["trigger.x"].type', /unknown operator "equal" \(one of equals, eq, /],
      [{ 'trigger.x': { pattern: 1 } }, 'criteria["trigger.x"].type', /required: one of/],
      [{ 'trigger.x': { type: 'equals' } }, 'criteria["trigger.x"].pattern', /required for equals/],
      [{ 'trigger.x': { type: 'regex', pattern: '([a-z' } }, 'criteria["trigger.x"].pattern', /invalid regular expression/],
      [{ 'trigger.x': { type: 'startswith', pattern: 5 } }, 'criteria["trigger.x"].pattern', /must be a string, not int/],
      [{ 'trigger.x': { type: 'timediff_lt', pattern: 'an hour' } }, 'criteria["trigger.x"].pattern', /could not convert str to float/],
      [{ 'trigger.x': { type: 'equals', pattern: '{{ trigger.x ' } }, 'criteria["trigger.x"].pattern', /syntax error/],
      [{ 'trigger.x': { type: 'equals', pattern: 1, patern: 2 } }, 'criteria["trigger.x"].patern', /unknown field/],
      [{ 'trigger.x': { type: 'equals', pattern: 1, condition: 'any' } }, 'criteria["trigger.x"].condition', /only the search operator/],
      [{ 'payload.x': { type: 'equals', pattern: 1 } }, 'criteria["payload.x"]', /must start with "trigger."/],
      [{ 'trigger.x[': { type: 'equals', pattern: 1 } }, 'criteria["trigger.x["]', /cannot read/],
      [{ 'trigger.x': 'critical' }, 'criteria["trigger.x"]', /expected \{type, pattern\}/],
      [{ 'trigger.l': { type: 'search', condition: 'some', pattern: { 'item.a': { type: 'exists' } } } }, 'criteria["trigger.l"].condition', /any, all, all2any, any2any, not "some"/],
      [{ 'trigger.l': { type: 'search', condition: 'any', pattern: { 'trigger.a': { type: 'exists' } } } }, 'criteria["trigger.l"].pattern["trigger.a"]', /must start with "item."/],
      [{ or: { 'trigger.a': { type: 'exists' } } }, 'criteria.or', /expected a list/],
      [{ or: [{ 'trigger.a': { type: 'exists' } }, {}] }, 'criteria.or[1]', /non-empty mapping/],
      [{ not: [] }, 'criteria.not', /non-empty mapping/],
      [{ not: { 'trigger.a': { type: 'nope' } } }, 'criteria.not["trigger.a"].type', /unknown operator/],
    ])('refuses %j at %s', (criteria, field, message) => {
      const error = validationError(criteria);
      expect(error.ref).toBe('examples.bad');
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
      expect(error.message).toContain(`rule examples.bad: ${field}: `);
    });

    it('lists every problem of a rule', () => {
      const error = validationError({ 'trigger.a': { type: 'nope', pattern: 1 }, 'trigger.b': { type: 'equals' } });
      expect(error.problems.map((problem) => problem.path)).toEqual([
        ['criteria', 'trigger.a', 'type'],
        ['criteria', 'trigger.b', 'pattern'],
      ]);
    });

    it('accepts operators in any case, and exists without a pattern', () => {
      expect(() => new RuleEngine([rule('ok', { 'trigger.a': { type: 'Equals', pattern: 1 }, 'trigger.b': { type: 'exists' } })])).not.toThrow();
    });

    it('checks the rest of the rule and its parameter templates', () => {
      expect(() => new RuleEngine([rule('x', {}, { type: 'fallback' as 'standard' })])).toThrow('rule examples.x: type: expected standard or backstop');
      expect(() => new RuleEngine([rule('x', {}, { ref: 'other.x' })])).toThrow('rule other.x: ref: expected "<pack>.<name>", "examples.x"');
      expect(() => new RuleEngine([rule('x', {}, { action: { ref: 'noop', parameters: {} } })])).toThrow('rule examples.x: action.ref: required: the action ref, <pack>.<name>');
      expect(() => new RuleEngine([rule('x', {}, { action: { ref: 'core.local', parameters: { cmd: ['ok', { deep: 'echo {{ trigger.x' }] } } })])).toThrow(
        /rule examples.x: action.parameters.cmd\[1\].deep: syntax error/,
      );
    });
  });

  describe('criteria that rules share', () => {
    /** A payload that counts how often each of its fields is read. */
    function countingPayload(fields: Record<string, unknown>): { payload: Record<string, unknown>; reads: Record<string, number> } {
      const reads: Record<string, number> = {};
      const payload = {};
      for (const [name, value] of Object.entries(fields)) {
        Object.defineProperty(payload, name, { enumerable: true, get: () => ((reads[name] = (reads[name] ?? 0) + 1), value) });
      }
      return { payload, reads };
    }

    it('evaluates a criterion several rules of the trigger share once per event', async () => {
      const shared = { 'trigger.used': { type: 'greaterthan', pattern: 90 } };
      const engine = new RuleEngine([rule('a', shared), rule('b', { ...shared, 'trigger.host': { type: 'startswith', pattern: 'db' } }), rule('c', shared), rule('d', { 'trigger.used#other': { type: 'greaterthan', pattern: 90 } })]);
      const { payload, reads } = countingPayload({ used: 95, host: 'db-1' });
      expect((await engine.match(alert(payload))).matched.map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
      // Once for a, b and c; once more for d, whose key differs by its tag.
      expect(reads['used']).toBe(2);
    });

    it('reports every rule whose shared criterion fails, naming its own key', async () => {
      const over = (key: string) => ({ [key]: { type: 'greaterthan', pattern: 90 } });
      const engine = new RuleEngine([rule('a', over('trigger.used')), rule('b', over('trigger.used')), rule('c', over('trigger.used#again')), rule('d', { 'trigger.host': { type: 'exists' } })]);
      const { matched, errors } = await engine.match(alert({ used: null, host: 'db-1' }));
      expect(matched.map((r) => r.name)).toEqual(['d']);
      expect(errors.map(({ rule, error }) => [rule.name, error])).toEqual([
        ['a', expect.stringMatching(/^criteria\["trigger.used"\] \(greaterthan\): /)],
        ['b', expect.stringMatching(/^criteria\["trigger.used"\] \(greaterthan\): /)],
        ['c', expect.stringMatching(/^criteria\["trigger.used#again"\] \(greaterthan\): /)],
      ]);
    });

    it('does not take patterns JSON cannot tell apart for one (NaN and None)', async () => {
      const engine = new RuleEngine([rule('nan', { 'trigger.x': { type: 'inside', pattern: [NaN] } }), rule('none', { 'trigger.x': { type: 'inside', pattern: [null] } })]);
      expect((await engine.match(alert({ x: null }))).matched.map((r) => r.name)).toEqual(['none']);
    });

    it('shares a criterion that waits on the datastore, and its failure', async () => {
      const kv = new FakeKeyValueLookup().set('system', 'limit', '90');
      const over = { 'trigger.used': { type: 'greaterthan', pattern: '{{ st2kv.system.limit | int }}' } };
      const engine = new RuleEngine([rule('a', over), rule('b', { ...over, 'trigger.host': { type: 'equals', pattern: 'db-1' } }), rule('c', { 'trigger.host': { type: 'equals', pattern: 'db-1' }, ...over })]);
      const names = async (payload: Record<string, unknown>) => {
        const { matched, errors } = await engine.match(alert(payload), kv);
        return { matched: matched.map((r) => r.name), errors: errors.map((e) => e.rule.name) };
      };
      expect(await names({ used: 95, host: 'db-1' })).toEqual({ matched: ['a', 'b', 'c'], errors: [] });
      expect(await names({ used: 95, host: 'db-2' })).toEqual({ matched: ['a'], errors: [] });
      expect(await names({ used: 'full', host: 'db-1' })).toEqual({ matched: [], errors: ['a', 'b', 'c'] });
      expect(kv.calls).toHaveLength(3); // one read per event
    });
  });

  describe('index', () => {
    it('matches only rules of the event trigger type; others are never evaluated', async () => {
      // The other type's criterion would fail on this payload: no error shows it was not evaluated.
      const engine = new RuleEngine([rule('alert', { 'trigger.level': { type: 'equals', pattern: 'high' } }), rule('other', { 'trigger.count': { type: 'greaterthan', pattern: 1 } }, { trigger: { type: 'examples.other', parameters: {} } })]);
      expect(await engine.match(alert({ level: 'high' }))).toEqual({ matched: [engine.get('examples.alert')], errors: [] });
      expect(await engine.match({ type: 'examples.unknown', payload: { level: 'high' } })).toEqual({ matched: [], errors: [] });
    });

    it('matches trigger parameters too: a webhook by its url, slashes aside', async () => {
      const webhook = (name: string, url: string) => rule(name, {}, { trigger: { type: 'core.st2.webhook', parameters: { url } } });
      const engine = new RuleEngine([webhook('alerts', 'alerts'), webhook('deploys', '/deploys/')]);
      const post = (url: string) => engine.match({ type: 'core.st2.webhook', parameters: { url }, payload: { headers: {}, body: {} } });
      expect((await post('/alerts')).matched.map((r) => r.name)).toEqual(['alerts']);
      expect((await post('deploys')).matched.map((r) => r.name)).toEqual(['deploys']);
      expect((await post('other')).matched).toEqual([]);
      expect(engine.hasTrigger('core.st2.webhook', { url: 'deploys' })).toBe(true);
      expect(engine.hasTrigger('core.st2.webhook', { url: 'other' })).toBe(false);
    });

    it('compares trigger parameters as values, whatever their key order', async () => {
      const timer = rule('timer', {}, { trigger: { type: 'core.st2.IntervalTimer', parameters: { unit: 'seconds', delta: 30 } } });
      const engine = new RuleEngine([timer]);
      expect((await engine.match({ type: 'core.st2.IntervalTimer', parameters: { delta: 30, unit: 'seconds' }, payload: { executed_at: 'now' } })).matched).toEqual([timer]);
      expect((await engine.match({ type: 'core.st2.IntervalTimer', parameters: { delta: 60, unit: 'seconds' }, payload: { executed_at: 'now' } })).matched).toEqual([]);
    });

    it('looks rules up by a first equals criterion, with Python equality and the order rules were added', async () => {
      const eq = (key: string, pattern: unknown) => ({ [key]: { type: 'equals', pattern } });
      const engine = new RuleEngine([
        rule('a', eq('trigger.severity', 'critical')),
        rule('b', { 'trigger.count': { type: 'greaterthan', pattern: 0 }, ...eq('trigger.severity', 'critical') }),
        rule('c', eq('trigger.severity#again', 'critical')),
        rule('d', eq('trigger.count', true)),
        rule('e', eq('trigger.count', '1')),
        rule('f', eq('trigger.severity', 'warning')),
      ]);
      const names = async (payload: Record<string, unknown>) => (await engine.match(alert(payload))).matched.map((r) => r.name);
      expect(await names({ severity: 'critical', count: 1 })).toEqual(['a', 'b', 'c', 'd']);
      expect(await names({ severity: 'critical', count: 1.0 })).toEqual(['a', 'b', 'c', 'd']);
      expect(await names({ severity: 'warning', count: '1' })).toEqual(['e', 'f']);
      engine.upsert(rule('a', eq('trigger.severity', 'warning')));
      expect(await names({ severity: 'warning', count: 0 })).toEqual(['f', 'a']);
    });

    it('fires backstop rules only when no standard rule matched', async () => {
      const engine = new RuleEngine([rule('critical', { 'trigger.severity': { type: 'equals', pattern: 'critical' } }), rule('fallback', {}, { type: 'backstop' }), rule('broken', { 'trigger.count': { type: 'lessthan', pattern: 1 } })]);
      const names = async (payload: Record<string, unknown>) => {
        const { matched, errors } = await engine.match(alert(payload));
        return { matched: matched.map((r) => r.name), errors: errors.map((e) => e.rule.name) };
      };
      expect(await names({ severity: 'critical', count: 5 })).toEqual({ matched: ['critical'], errors: [] });
      expect(await names({ severity: 'info', count: 5 })).toEqual({ matched: ['fallback'], errors: [] });
      // A rule that fails to evaluate has not matched: the backstop still fires.
      expect(await names({ severity: 'info' })).toEqual({ matched: ['fallback'], errors: ['broken'] });
    });

    it('keeps disabled rules but never matches them, until they are enabled', async () => {
      const engine = new RuleEngine([rule('r', {}, { enabled: false })]);
      expect(engine.get('examples.r')?.enabled).toBe(false);
      expect((await engine.match(alert({ a: 1 }))).matched).toEqual([]);
      engine.upsert(rule('r'));
      expect((await engine.match(alert({ a: 1 }))).matched.map((r) => r.name)).toEqual(['r']);
    });

    it('moves a rule whose trigger changes, and forgets a removed one', async () => {
      const engine = new RuleEngine([rule('r')]);
      engine.upsert(rule('r', {}, { trigger: { type: 'examples.other', parameters: {} } }));
      expect((await engine.match(alert({ a: 1 }))).matched).toEqual([]);
      expect((await engine.match({ type: 'examples.other', payload: { a: 1 } })).matched.map((r) => r.name)).toEqual(['r']);
      engine.remove('examples.r');
      expect(engine.size).toBe(0);
      expect((await engine.match({ type: 'examples.other', payload: { a: 1 } })).matched).toEqual([]);
    });

    it('changes nothing when a rule does not compile', async () => {
      const engine = new RuleEngine([rule('r')]);
      expect(() => engine.upsert(rule('r', { 'trigger.a': { type: 'nope', pattern: 1 } }))).toThrow(RuleValidationError);
      expect(() => engine.replaceAll([rule('s'), rule('t', { 'trigger.a': { type: 'nope', pattern: 1 } })])).toThrow(RuleValidationError);
      expect(() => engine.replaceAll([rule('s'), rule('s')])).toThrow('rule examples.s: ref: two rules have this ref');
      expect(engine.size).toBe(1);
      expect((await engine.match(alert({ a: 1 }))).matched.map((r) => r.name)).toEqual(['r']);
    });
  });
});
