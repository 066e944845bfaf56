import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client, Connection } from '@temporalio/client';
import { ActionRepository, PackRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, eventually, freePort, testConfig, type TestDatabase, uniqueName } from '@tempest/testing';
import { createGatewayApp } from '../app';
import { PendingInstanceProcessor } from './pending-instances';

const ADMIN_KEY = 'tpst_test-admin-key-ingestion-0123456789';
const SECRET = 'webhook-secret-0123456789';

async function listen(app: NestFastifyApplication): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('ingestion: webhooks, rules, trigger instances, traces', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let replica: NestFastifyApplication;
  let base: string;
  let replicaBase: string;
  let temporal: Connection;
  const api = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; url?: string } = {}) =>
    fetch(`${init.url ?? base}/api/v1${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'X-Api-Key': ADMIN_KEY, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
  const json = async (response: Response) => (await response.json()) as Json;
  const rule = (name: string, extra: Json = {}) => ({
    name,
    pack: 'alerts',
    trigger: { type: 'core.st2.webhook', parameters: { url: name } },
    criteria: { 'trigger.body.severity': { type: 'equals', pattern: 'critical' } },
    action: { ref: 'alerts.notify', parameters: { message: '{{ trigger.body.host }} is {{ trigger.body.severity }}', count: '{{ trigger.body.count }}' } },
    ...extra,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    await new PackRepository(database.db).upsert({ ref: 'alerts', name: 'alerts', description: 'd', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/alerts', metadata: {} });
    await new ActionRepository(database.db).replaceForPack('alerts', [
      {
        ref: 'alerts.notify', pack: 'alerts', name: 'notify', description: 'notify', runnerType: 'noop', enabled: true,
        parameters: { message: { type: 'string', required: true }, count: { type: 'integer' }, token: { type: 'string', secret: true, default: 'hunter2' } },
        tags: [], metadataFile: 'actions/notify.yaml', metadata: {},
      },
      {
        ref: 'alerts.shell', pack: 'alerts', name: 'shell', description: 'shell', runnerType: 'local-shell-cmd', enabled: true,
        parameters: {}, tags: [], metadataFile: 'actions/shell.yaml', metadata: {},
      },
    ]);
    // A task queue no worker serves: executions are recorded and started, and stay there.
    const config = testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPORAL_TASK_QUEUE: uniqueName('unserved'), TEMPEST_WEBHOOK_MAX_BYTES: '2048' });
    app = await createGatewayApp(config, captureLogs('gateway', 'warn').logger);
    base = await listen(app);
    // A second replica on the same database, as when gateways scale out.
    replica = await createGatewayApp(config, captureLogs('replica', 'warn').logger);
    replicaBase = await listen(replica);
    temporal = await Connection.connect({ address: config.temporal.address });
    expect((await api('/rules', { body: rule('disk') })).status).toBe(201);
  });
  afterAll(async () => {
    await temporal?.close();
    await replica?.close();
    await app?.close();
    await database?.drop();
  });

  const alert = (severity: string, extra: Json = {}) => ({ host: 'web-1', severity, count: 3, ...extra });

  it('answers 202 once the execution is started, with parameters from the payload, all linked by the trace', async () => {
    const response = await api('/webhooks/disk', { body: alert('critical'), headers: { 'St2-Trace-Tag': 'incident-42' } });
    expect(response.status).toBe(202);
    const outcome = await json(response);
    expect(outcome).toMatchObject({ trace_tag: 'incident-42', trigger: 'core.st2.webhook', status: 'processed', created: true });
    expect(outcome.rule_enforcements).toEqual([expect.objectContaining({ rule_ref: 'alerts.disk', status: 'succeeded', execution_id: expect.any(String) })]);
    const executionId = outcome.rule_enforcements[0].execution_id;

    const execution = await json(await api(`/executions/${executionId}`));
    expect(execution).toMatchObject({
      action: { ref: 'alerts.notify' },
      parameters: { message: 'web-1 is critical', count: 3, token: '********' },
      status: 'scheduled',
      context: { user: 'admin', source: 'rule', rule: 'alerts.disk', trigger_instance: outcome.trigger_instance_id, trace_tag: 'incident-42' },
    });
    const description = await new Client({ connection: temporal }).workflow.getHandle(executionId).describe();
    expect(description.searchAttributes).toMatchObject({ TempestRule: ['alerts.disk'], TempestTrigger: ['core.st2.webhook'], TempestTriggerInstance: [outcome.trigger_instance_id] });

    const instance = await json(await api(`/triggerinstances/${outcome.trigger_instance_id}`));
    expect(instance).toMatchObject({ trigger: 'core.st2.webhook', parameters: { url: 'disk' }, status: 'processed', source: 'webhook', payload: { body: alert('critical') } });
    expect(instance.payload.headers['content-type']).toBe('application/json');
    expect(JSON.stringify(instance)).not.toContain(ADMIN_KEY);

    const trace = await json(await api('/traces/incident-42'));
    expect(trace.trigger_instance_details.map((i: Json) => i.id)).toEqual([outcome.trigger_instance_id]);
    expect(trace.rule_enforcements.map((e: Json) => e.execution_id)).toEqual([executionId]);
    expect(trace.executions.map((e: Json) => e.id)).toEqual([executionId]);
    // StackStorm's shape: components linked by caused_by, from the execution back to the event.
    expect(trace).toMatchObject({
      id: 'incident-42',
      uid: 'trace:incident-42',
      trace_tag: 'incident-42',
      start_timestamp: instance.occurrence_time,
      trigger_instances: [{ object_id: outcome.trigger_instance_id, ref: 'core.st2.webhook', updated_at: expect.any(String), caused_by: {} }],
      rules: [{ object_id: 'alerts.disk', ref: 'alerts.disk', updated_at: expect.any(String), caused_by: { type: 'trigger_instance', id: outcome.trigger_instance_id } }],
      action_executions: [{ object_id: executionId, ref: 'alerts.notify', updated_at: expect.any(String), caused_by: { type: 'rule', id: `alerts.disk:${outcome.trigger_instance_id}` } }],
    });
    const listed = (await json(await api(`/traces?execution=${executionId}`))) as unknown as Json[];
    expect(listed).toEqual([{ id: 'incident-42', uid: 'trace:incident-42', trace_tag: 'incident-42', start_timestamp: trace.start_timestamp, trigger_instances: trace.trigger_instances, rules: trace.rules, action_executions: trace.action_executions }]);
    for (const filter of ['trace_tag=incident-42', `trigger_instance=${outcome.trigger_instance_id}`]) {
      expect(((await json(await api(`/traces?${filter}`))) as unknown as Json[]).map((t) => t.id)).toEqual(['incident-42']);
    }
    expect(((await json(await api('/traces?rule=alerts.disk&limit=100'))) as unknown as Json[]).map((t) => t.id)).toContain('incident-42');
    expect(await json(await api('/traces?rule=alerts.no_such_rule'))).toEqual([]);
    expect(await json(await api('/traces?execution=no-such-execution'))).toEqual([]);
    const [enforcement] = (await json(await api(`/ruleenforcements?execution=${executionId}`))) as unknown as Json[];
    expect(enforcement.trigger_instance_id).toEqual(outcome.trigger_instance_id);
    // One enforcement by its id, as StackStorm's API serves it.
    expect(await json(await api(`/ruleenforcements/${enforcement.id}`))).toEqual(enforcement);
    const missing = await api('/ruleenforcements/no-such-enforcement');
    expect(missing.status).toBe(404);
    expect((await json(missing)).message).toBe('no rule enforcement "no-such-enforcement"');
  });

  it("answers rule enforcements in StackStorm's shape (rule as {ref, id, uid}), filtered by StackStorm's query parameters too", async () => {
    const outcome = await json(await api('/webhooks/disk', { body: alert('critical') }));
    const [enforcement] = (await json(await api(`/ruleenforcements?trigger_instance=${outcome.trigger_instance_id}`))) as unknown as Json[];
    const rule = await json(await api('/rules/alerts.disk'));
    expect(enforcement).toMatchObject({ rule: { ref: 'alerts.disk', id: rule.id, uid: 'rule:alerts:disk' }, rule_ref: 'alerts.disk', trigger_instance_id: outcome.trigger_instance_id });
    const ids = async (query: string) => ((await json(await api(`/ruleenforcements?${query}`))) as unknown as Json[]).map((e) => e.id);
    for (const query of ['rule=alerts.disk', 'rule_ref=alerts.disk', `rule_id=${rule.id}`, `enforced_at_gt=${new Date(Date.parse(enforcement.enforced_at) - 1).toISOString()}`]) {
      expect(await ids(`${query}&limit=100`)).toContain(enforcement.id);
    }
    expect(await ids(`rule_ref=alerts.disk&enforced_at_lt=${enforcement.enforced_at}`)).not.toContain(enforcement.id);
    expect(await ids('rule_ref=alerts.nothing')).toEqual([]);
    const bad = await api('/ruleenforcements?enforced_at_gt=yesterday');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await json(bad))).toContain('enforced_at_gt must be an ISO 8601 time');
  });

  it('stores an event no rule matches, and runs nothing', async () => {
    const outcome = await json(await api('/webhooks/disk', { body: alert('warning') }));
    expect(outcome).toMatchObject({ status: 'processed', rule_enforcements: [], trace_tag: outcome.trigger_instance_id });
    expect(await json(await api(`/triggerinstances/${outcome.trigger_instance_id}`))).toMatchObject({ status: 'processed', payload: { body: { severity: 'warning' } } });
    expect(await json(await api(`/ruleenforcements?trigger_instance=${outcome.trigger_instance_id}`))).toEqual([]);
  });

  it('runs nothing twice when a request is retried with the same Idempotency-Key', async () => {
    const send = () => api('/webhooks/disk', { body: alert('critical', { host: 'db-1' }), headers: { 'Idempotency-Key': 'alert-7' } });
    const first = await json(await send());
    const second = await json(await send());
    expect(second).toMatchObject({ trigger_instance_id: first.trigger_instance_id, created: false });
    expect(second.rule_enforcements.map((e: Json) => e.execution_id)).toEqual(first.rule_enforcements.map((e: Json) => e.execution_id));
    const executions = (await json(await api('/executions?action=alerts.notify&limit=100'))) as unknown as Json[];
    expect(executions.filter((e) => e.context.trigger_instance === first.trigger_instance_id)).toHaveLength(1);
  });

  it('lists the executions one trigger instance started, and those within a time window, as `st2 execution list` asks', async () => {
    const before = new Date().toISOString();
    const outcome = await json(await api('/webhooks/disk', { body: alert('critical', { host: 'db-2' }) }));
    const started = outcome.rule_enforcements.map((e: Json) => e.execution_id);
    const byInstance = (await json(await api(`/executions?trigger_instance=${outcome.trigger_instance_id}`))) as unknown as Json[];
    expect(byInstance.map((e) => e.id)).toEqual(started);
    const after = new Date(Date.now() + 60_000).toISOString();
    expect(((await json(await api(`/executions?timestamp_gt=${before}&timestamp_lt=${after}&action=alerts.notify`))) as unknown as Json[]).map((e) => e.id)).toEqual(started);
    expect(await json(await api(`/executions?timestamp_gt=${after}`))).toEqual([]);
    const bad = await api('/executions?timestamp_lt=yesterday');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await json(bad))).toContain('timestamp_lt');
  });

  it('accepts an event while Temporal is unreachable, queued, and starts its execution once, when Temporal takes it', async () => {
    // A replica cut off from Temporal: nothing listens on this port.
    const cutOff = await createGatewayApp(
      testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPORAL_TASK_QUEUE: uniqueName('unserved'), TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` }),
      captureLogs('cut-off', 'fatal').logger,
    );
    let outcome: Json;
    try {
      const response = await api('/webhooks/disk', { body: alert('critical', { host: 'db-9' }), url: await listen(cutOff) });
      expect(response.status).toBe(202);
      outcome = await json(response);
    } finally {
      await cutOff.close();
    }
    expect(outcome).toMatchObject({ status: 'pending', rule_enforcements: [] });

    // The sweep of a replica that reaches Temporal (every 15 s; here, now) finishes it.
    await app.get(PendingInstanceProcessor).drain();
    const instance = await json(await api(`/triggerinstances/${outcome.trigger_instance_id}`));
    expect(instance).toMatchObject({ status: 'processed' });
    const enforcements = await json(await api(`/ruleenforcements?trigger_instance=${outcome.trigger_instance_id}`));
    expect(enforcements).toEqual([expect.objectContaining({ rule_ref: 'alerts.disk', status: 'succeeded' })]);
    const executions = (await json(await api('/executions?action=alerts.notify&limit=100'))) as unknown as Json[];
    expect(executions.filter((e) => e.context.trigger_instance === outcome.trigger_instance_id).map((e) => e.id)).toEqual([enforcements[0].execution_id]);
    await new Client({ connection: temporal }).workflow.getHandle(enforcements[0].execution_id).describe();
  });

  it('re-emits an instance as a new one in the same trace, running its rules again', async () => {
    const original = await json(await api('/webhooks/disk', { body: alert('critical', { host: 'cache-1' }) }));
    const response = await api(`/triggerinstances/${original.trigger_instance_id}/re_emit`, { method: 'POST' });
    expect(response.status).toBe(202);
    const again = await json(response);
    expect(again.trigger_instance_id).not.toBe(original.trigger_instance_id);
    // What `st2 trigger-instance re-emit` prints.
    expect(again.message).toBe(`Trigger instance ${original.trigger_instance_id} successfully re-sent as ${again.trigger_instance_id}.`);
    expect(again.trace_tag).toBe(original.trace_tag);
    expect(again.rule_enforcements[0].execution_id).not.toBe(original.rule_enforcements[0].execution_id);
    expect((await json(await api(`/traces/${original.trace_tag}`))).executions).toHaveLength(2);
    expect((await api('/triggerinstances/nope/re_emit', { method: 'POST' })).status).toBe(404);
  });

  it('records why a matched rule started nothing', async () => {
    expect((await api('/rules', { body: rule('broken', { criteria: {}, action: { ref: 'alerts.notify', parameters: { message: '{{ trigger.body.missing.field }}' } } }) })).status).toBe(201);
    const outcome = await json(await api('/webhooks/broken', { body: alert('critical') }));
    expect(outcome.rule_enforcements).toEqual([expect.objectContaining({ rule_ref: 'alerts.broken', status: 'failed', failure_reason: expect.stringMatching(/^rendering error: .*message/) })]);
    expect(outcome.rule_enforcements[0].execution_id).toBeUndefined();
  });

  it('keeps payload values as text: neither rendered again nor spliced raw into a command', async () => {
    const body = { criteria: {}, action: { ref: 'alerts.shell', parameters: { cmd: 'echo {{ trigger.body.text }}' } } };
    expect((await api('/rules', { body: rule('inject', body) })).status).toBe(201);
    const outcome = await json(await api('/webhooks/inject', { body: { text: '$(reboot) {{ action_context.user }}' } }));
    const execution = await json(await api(`/executions/${outcome.rule_enforcements[0].execution_id}`));
    // The command never reads as a template again: `{{` is split across two quoted parts ('{''{' is {{).
    expect(execution.parameters.cmd).toBe(`echo '$(reboot) {''{ action_context.user }}'`);
  });

  describe('webhook requests', () => {
    beforeAll(async () => {
      const signed = rule('signed', { criteria: {}, trigger: { type: 'core.st2.webhook', parameters: { url: 'signed', hmac_secret: SECRET } } });
      expect((await api('/rules', { body: signed })).status).toBe(201);
    });
    const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const post = (path: string, body: string, headers: Record<string, string>) => fetch(`${base}/api/v1/webhooks/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

    it('accepts a body signed with the hook\'s secret instead of an API key, and masks the secret', async () => {
      const body = JSON.stringify(alert('critical'));
      expect((await post('signed', body, { 'X-Tempest-Signature': sign(body) })).status).toBe(202);
      expect((await post('signed', body, { 'X-Hub-Signature-256': sign(body) })).status).toBe(202);
      expect((await json(await api('/rules/alerts.signed'))).trigger.parameters).toEqual({ url: 'signed', hmac_secret: '********' });
    });

    it('reads the secret from the datastore when the rule names a key', async () => {
      expect((await api('/keys/hook_secret', { method: 'PUT', body: { value: 'from-the-datastore' } })).status).toBe(200);
      const fromKv = rule('kvsigned', { criteria: {}, trigger: { type: 'core.st2.webhook', parameters: { url: 'kvsigned', hmac_secret: '{{ st2kv.system.hook_secret }}' } } });
      expect((await api('/rules', { body: fromKv })).status).toBe(201);
      const body = JSON.stringify(alert('critical'));
      const signature = `sha256=${createHmac('sha256', 'from-the-datastore').update(body).digest('hex')}`;
      expect((await post('kvsigned', body, { 'X-Tempest-Signature': signature })).status).toBe(202);
      expect((await post('kvsigned', body, { 'X-Tempest-Signature': sign(body) })).status).toBe(401);
      expect((await json(await api('/rules/alerts.kvsigned'))).trigger.parameters.hmac_secret).toBe('{{ st2kv.system.hook_secret }}');
    });

    it('answers 401 for a bad or missing signature, and for a hook without a secret when no API key is sent', async () => {
      const body = JSON.stringify(alert('critical'));
      const bad = await post('signed', body, { 'X-Tempest-Signature': sign(`${body} `) });
      expect(bad.status).toBe(401);
      expect(await json(bad)).toMatchObject({ message: 'the signature does not match the body' });
      expect((await post('signed', body, {})).status).toBe(401);
      expect((await post('disk', body, { 'X-Tempest-Signature': sign(body) })).status).toBe(401);
      expect((await post('disk', body, { 'X-Api-Key': 'tpst_wrong' })).status).toBe(401);
    });

    it('answers a caller without a valid key the same whether or not the hook exists, so hooks cannot be probed', async () => {
      const body = JSON.stringify(alert('critical'));
      const answers = async (headers: Record<string, string>) =>
        Promise.all(['nothing-here', 'disk', 'signed'].map(async (hook) => {
          const response = await post(hook, body, headers);
          const { requestId: _id, ...rest } = await json(response);
          return { status: response.status, ...rest };
        }));
      const unsigned = await answers({});
      expect(unsigned[0]).toEqual({ statusCode: 401, status: 401, error: 'UNAUTHORIZED', message: expect.stringContaining('missing API key or signature'), faultstring: expect.stringContaining('missing API key or signature') });
      expect(unsigned).toEqual([unsigned[0], unsigned[0], unsigned[0]]);
      const wronglySigned = await answers({ 'X-Tempest-Signature': sign(`${body} `) });
      expect(wronglySigned[0]).toEqual({ statusCode: 401, status: 401, error: 'UNAUTHORIZED', message: 'the signature does not match the body', faultstring: 'the signature does not match the body' });
      expect(wronglySigned).toEqual([wronglySigned[0], wronglySigned[0], wronglySigned[0]]);
      expect((await post('nothing-here', body, { 'X-Api-Key': 'tpst_wrong' })).status).toBe(401);
    });

    it('answers 503 naming the datastore, not 401, when the hook\'s secret cannot be read from it', async () => {
      expect((await api('/keys/down_secret', { method: 'PUT', body: { value: 'from-the-datastore' } })).status).toBe(200);
      const kvRule = rule('kvdown', { criteria: {}, trigger: { type: 'core.st2.webhook', parameters: { url: 'kvdown', hmac_secret: '{{ st2kv.system.down_secret }}' } } });
      expect((await api('/rules', { body: kvRule })).status).toBe(201);
      const body = JSON.stringify(alert('critical'));
      const signature = `sha256=${createHmac('sha256', 'from-the-datastore').update(body).digest('hex')}`;
      // The datastore's table gone for a moment: every read of it fails, as in an outage.
      await sql`alter table key_value_pairs rename to key_value_pairs_away`.execute(database.db);
      let response: Response;
      try {
        response = await post('kvdown', body, { 'X-Tempest-Signature': signature });
      } finally {
        await sql`alter table key_value_pairs_away rename to key_value_pairs`.execute(database.db);
      }
      expect(response.status).toBe(503);
      expect(await json(response)).toMatchObject({ message: expect.stringContaining('the datastore could not be read for this hook\'s hmac_secret (st2kv.system.down_secret)') });
      expect((await post('kvdown', body, { 'X-Tempest-Signature': signature })).status).toBe(202);
    });

    it('answers 404 for a url no enabled rule has', async () => {
      const response = await api('/webhooks/nothing-here', { body: {} });
      expect(response.status).toBe(404);
      expect(await json(response)).toMatchObject({ message: expect.stringContaining('no webhook "nothing-here"') });
    });

    it('answers 413 for a body over TEMPEST_WEBHOOK_MAX_BYTES, and 400 for invalid JSON', async () => {
      const stored = async () => ((await json(await api('/triggerinstances?trigger=core.st2.webhook&limit=100'))) as unknown as Json[]).length;
      const before = await stored();
      expect((await api('/webhooks/disk', { body: { text: 'x'.repeat(4096) } })).status).toBe(413);
      const invalid = await api('/webhooks/disk', { body: '{"severity": ' });
      expect(invalid.status).toBe(400);
      expect(await stored()).toBe(before);
    });

    it('takes any trigger by name on /webhooks/st2, and refuses a payload its schema does not allow, naming the field', async () => {
      const bad = await api('/webhooks/st2', { body: { trigger: 'core.st2.generic.actiontrigger', payload: { execution_id: 42 } } });
      expect(bad.status).toBe(400);
      expect((await json(bad)).message).toEqual(['payload.execution_id: expected string, got integer 42']);
      expect((await api('/webhooks/st2', { body: { trigger: 'nope.nothing', payload: {} } })).status).toBe(400);
      const ok = await api('/webhooks/st2', { body: { trigger: 'core.st2.sensor.process_exit', payload: { object: { pid: 1 } } } });
      expect(ok.status).toBe(202);
      expect((await fetch(`${base}/api/v1/webhooks/st2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    });
  });

  describe('rules API', () => {
    it('refuses a rule that does not compile, naming the criterion, and every other problem', async () => {
      const response = await api('/rules', { body: rule('bad', { criteria: { 'trigger.body.x': { type: 'no_such_operator', pattern: 1 } }, action: { ref: 'alerts.nope' } }) });
      expect(response.status).toBe(400);
      const { message } = await json(response);
      expect(message).toEqual([expect.stringContaining('criteria["trigger.body.x"]'), 'action.ref: no action "alerts.nope" is registered']);
      const unknown = await api('/rules', { body: rule('bad2', { trigger: { type: 'core.st2.webhook', parameters: {} } }) });
      expect((await json(unknown)).message).toEqual(['trigger.parameters.url: required']);
      expect((await api('/rules', { body: rule('disk') })).status).toBe(409);
    });

    it("puts a rule posted without a pack in StackStorm's default pack, made on first use", async () => {
      const { pack: _pack, ...packless } = rule('packless');
      const created = await api('/rules', { body: packless });
      expect(created.status).toBe(201);
      expect(await json(created)).toMatchObject({ ref: 'default.packless', pack: 'default' });
      expect(await json(await api('/packs/default'))).toMatchObject({ ref: 'default', description: expect.stringContaining('with no pack specified') });
      expect((await api('/rules/default.packless', { method: 'DELETE' })).status).toBe(204);
    });

    it('lists, gets, replaces, disables and deletes; every change reaches the other replica within a second', async () => {
      expect((await api('/rules', { body: rule('cpu') })).status).toBe(201);
      const fires = async (url: string) => (await api('/webhooks/cpu', { url, body: alert('critical') })).status === 202;
      await eventually(async () => ((await fires(replicaBase)) ? true : undefined), 'the replica to follow the rule change', 1000);

      const replaced = await api('/rules/alerts.cpu', { method: 'PUT', body: rule('cpu', { trigger: { type: 'core.st2.webhook', parameters: { url: 'cpu2' } } }) });
      expect(replaced.status).toBe(200);
      expect((await json(replaced)).trigger.parameters).toEqual({ url: 'cpu2' });
      await eventually(async () => ((await api('/webhooks/cpu2', { url: replicaBase, body: alert('critical') })).status === 202 ? true : undefined), 'the replica to follow the rule change', 1000);

      expect(await json(await api('/rules/alerts.cpu', { method: 'PATCH', body: { enabled: false } }))).toMatchObject({ enabled: false });
      await eventually(async () => ((await api('/webhooks/cpu2', { url: replicaBase, body: alert('critical') })).status === 404 ? true : undefined), 'the replica to follow the rule change', 1000);
      expect((await json(await api('/rules?pack=alerts&enabled=false'))).map((r: Json) => r.ref)).toEqual(['alerts.cpu']);

      await api('/rules/alerts.cpu', { method: 'PATCH', body: { enabled: true } });
      await eventually(async () => ((await api('/webhooks/cpu2', { url: replicaBase, body: alert('critical') })).status === 202 ? true : undefined), 'the replica to follow the rule change', 1000);
      expect((await api('/rules/alerts.cpu', { method: 'DELETE' })).status).toBe(204);
      await eventually(async () => ((await api('/webhooks/cpu2', { url: replicaBase, body: alert('critical') })).status === 404 ? true : undefined), 'the replica to follow the rule change', 1000);
      expect((await api('/rules/alerts.cpu')).status).toBe(404);
    });

    it('lists the built-in trigger types with their schemas', async () => {
      const types = (await json(await api('/triggertypes'))) as unknown as Json[];
      expect(types.map((t) => t.ref)).toEqual(expect.arrayContaining(['core.st2.webhook', 'core.st2.IntervalTimer', 'core.st2.generic.actiontrigger', 'core.st2.key_value_pair.value_change']));
      expect(types.find((t) => t.ref === 'core.st2.webhook')).toMatchObject({ builtin: true, payload_schema: { properties: { headers: { type: 'object' } } } });
    });
  });

  it('turns a datastore change into a trigger instance, queued and processed by the rules', async () => {
    const onKey = {
      name: 'on_key', pack: 'alerts', criteria: { 'trigger.object.name': { type: 'equals', pattern: 'maintenance' } },
      trigger: { type: 'core.st2.key_value_pair.create' },
      action: { ref: 'alerts.notify', parameters: { message: 'maintenance is {{ trigger.object.value }}' } },
    };
    expect((await api('/rules', { body: onKey })).status).toBe(201);
    expect((await api('/keys/maintenance', { method: 'PUT', body: { value: 'on' } })).status).toBe(200);
    const execution = await eventually(async () => {
      const found = (await json(await api('/executions?action=alerts.notify&limit=100'))) as unknown as Json[];
      return found.find((e) => e.context.rule === 'alerts.on_key');
    }, 'the execution of the datastore rule', 5000);
    expect(execution.parameters.message).toBe('maintenance is on');
    // The instance is marked processed just after its executions start.
    const instance = await eventually(async () => {
      const found = await json(await api(`/triggerinstances/${execution.context.trigger_instance}`));
      return found.status === 'processing' ? undefined : found;
    }, 'the instance to be processed', 5000);
    expect(instance).toMatchObject({ trigger: 'core.st2.key_value_pair.create', source: 'datastore', status: 'processed' });
  });

  it('lists trigger instances newest first, filtered and paginated', async () => {
    const tag = uniqueName('page');
    const ids: string[] = [];
    for (const severity of ['a', 'b', 'c']) ids.push((await json(await api('/webhooks/disk', { body: alert(severity), headers: { 'St2-Trace-Tag': tag } }))).trigger_instance_id);
    const page = (await json(await api(`/triggerinstances?trace_tag=${tag}&limit=2&offset=1`))) as unknown as Json[];
    expect(page.map((i) => i.id)).toEqual([ids[1], ids[0]]);
    expect((await api('/triggerinstances?status=done')).status).toBe(400);
    // StackStorm's time window (`st2 trigger-instance list -tg ... -tl ...`), cut between the third event and a fourth.
    const cut = new Date(Date.now() + 1);
    await eventually(async () => (Date.now() > cut.getTime() ? true : undefined), 'the clock to pass the cut', 1_000);
    const before = cut.toISOString();
    const fourth = (await json(await api('/webhooks/disk', { body: alert('d'), headers: { 'St2-Trace-Tag': tag } }))).trigger_instance_id;
    const window = async (query: string) => ((await json(await api(`/triggerinstances?trace_tag=${tag}&${query}`))) as unknown as Json[]).map((i) => i.id);
    expect(await window(`timestamp_gt=${before}`)).toEqual([fourth]);
    expect(await window(`timestamp_lt=${before}`)).toEqual([...ids].reverse());
    const bad = await api(`/triggerinstances?timestamp_gt=yesterday`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await json(bad))).toContain('timestamp_gt must be an ISO 8601 date-time');
  });
});
