import type { Execution } from '@tempest/db';
import { MAX_NOTIFY_RENDER_MS, notifyTriggerInstances } from './notify-trigger';

describe(notifyTriggerInstances.name, () => {
  const execution = (overrides: Partial<Execution>): Execution => ({
    id: 'e1',
    action_ref: 'ops.deploy',
    pack: 'ops',
    runner_type: 'local-shell-cmd',
    parameters: { version: '1.2', token: '********' },
    status: 'succeeded',
    status_history: [],
    context: { user: 'admin', source: 'api', trace_tag: 'tag-9' },
    result: { stdout: 'deployed' },
    notify: null,
    parent_id: null,
    workflow_id: 'e1',
    run_id: null,
    created_at: new Date('2026-12-05T10:00:00Z'),
    started_at: null,
    finished_at: new Date('2026-12-05T10:00:05Z'),
    ...overrides,
  });
  let n = 0;
  const newId = () => `id-${++n}`;

  it('is one instance per route of each due section, keyed by execution, section and route, in the execution\'s trace', async () => {
    const sut = await notifyTriggerInstances(execution({ notify: { 'on-complete': { routes: ['a', 'b'] }, 'on-success': { routes: ['a'], message: '{{ action_parameters.version }}: {{ action_results.stdout }}' }, 'on-failure': { routes: ['pager'] } } }), newId);
    expect(sut.map((i) => [i.idempotencyKey, i.payload.route, i.payload.message, i.traceTag])).toEqual([
      ['e1:on-complete:a', 'a', 'Action ops.deploy completed.', 'tag-9'],
      ['e1:on-complete:b', 'b', 'Action ops.deploy completed.', 'tag-9'],
      ['e1:on-success:a', 'a', '1.2: deployed', 'tag-9'],
    ]);
    expect(sut[0].payload).toMatchObject({ start_timestamp: '2026-12-05T10:00:00.000Z', end_timestamp: '2026-12-05T10:00:05.000Z', channel: 'a', data: { result: '{"stdout":"deployed"}' } });
    expect(await notifyTriggerInstances(execution({ notify: null }), newId)).toEqual([]);
  });

  it('renders within the template budget: a template over it, or one that fails, is sent as written and reported', async () => {
    const problems: string[] = [];
    const heavy = '{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}';
    const [sut] = await notifyTriggerInstances(execution({ notify: { 'on-success': { routes: ['chat'], message: heavy, data: { who: '{{ nobody.name }}', token: '{{ action_parameters.token }}' } } } }), newId, { problems });
    expect(sut.payload).toMatchObject({ message: heavy, data: { who: '{{ nobody.name }}', token: '********' } });
    expect(problems).toEqual([expect.stringMatching(/^notify\.on-success\.message: template exceeds the rendering budget/), expect.stringMatching(/^notify\.on-success\.data\.who: /)]);
  });

  it('stops rendering once the execution\'s notify templates together took their time', async () => {
    const problems: string[] = [];
    const slow = '{% for i in range(99000) %}{{ i }}{% endfor %}';
    const data = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, slow]));
    const started = Date.now();
    await notifyTriggerInstances(execution({ notify: { 'on-success': { routes: ['chat'], data } } }), newId, { problems });
    expect(Date.now() - started).toBeLessThan(MAX_NOTIFY_RENDER_MS + 2_000);
    expect(problems.at(-1)).toMatch(/^notify\.on-success\.data\.k199: not rendered, the execution's notify templates took more than 2000 ms$/);
  });

  it('gives templates st2kv.system (a secret as its ciphertext), and refuses decrypt_kv: a notification is sent in clear', async () => {
    const datastore = { get: async (scope: string, key: string, options: { decrypt: boolean }) => (scope === 'system' && key === 'chat.channel' ? '#ops' : key === 'token' ? (options.decrypt ? 'PLAIN' : 'CIPHERTEXT') : undefined) };
    const problems: string[] = [];
    const [sut] = await notifyTriggerInstances(
      execution({ notify: { 'on-success': { routes: ['chat'], message: 'to {{ st2kv.system.chat.channel }}', data: { sealed: '{{ st2kv.system.token }}', plain: '{{ st2kv.system.token | decrypt_kv }}' } } } }),
      newId,
      { datastore, problems },
    );
    expect(sut.payload).toMatchObject({ message: 'to #ops', data: { sealed: 'CIPHERTEXT', plain: '{{ st2kv.system.token | decrypt_kv }}' } });
    expect(problems).toEqual([expect.stringMatching(/^notify\.on-success\.data\.plain: decrypt_kv: st2kv\.system\.token would be sent in clear/)]);
    expect(JSON.stringify(sut)).not.toContain('PLAIN');
  });
});
