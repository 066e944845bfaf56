import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { Client as PostgresClient } from 'pg';
import { findRepoRoot } from '@tempest/config';
import { ActionRepository, PackRepository, TriggerInstanceRepository } from '@tempest/db';
import { createTestDatabase, eventually, freePort, type RunningProcess, runProcess, type TestDatabase, testServers, uniqueName } from '@tempest/testing';

// The compiled processes, as `npm start` and docker-compose run them.
const root = findRepoRoot();
const GATEWAY = join(root, 'dist/apps/gateway/src/main.js');
const WORKER = join(root, 'dist/apps/worker/src/main.js');
const ADMIN_KEY = 'tpst_test-admin-key-recovery-0123456789';
/** Short, so that a lapsed claim is taken over within the test; renewed every second. */
const LEASE_SECONDS = 3;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A TCP server that accepts and never answers: a Temporal frontend that hangs. */
async function blackhole(): Promise<{ address: string; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise((resolve) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => resolve());
    }),
  };
}

describe('ingestion across gateway and worker processes', () => {
  let database: TestDatabase;
  let worker: RunningProcess;
  let temporal: Connection;
  const taskQueue = uniqueName('recovery');
  const running: RunningProcess[] = [];

  const startGateway = async (temporalAddress: string) => {
    const port = await freePort();
    const gateway = runProcess(GATEWAY, {
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPEST_ADMIN_API_KEY: ADMIN_KEY,
      TEMPEST_GATEWAY_PORT: String(port),
      TEMPEST_LOG_LEVEL: 'info',
      TEMPEST_TRIGGER_INSTANCE_LEASE_SECONDS: String(LEASE_SECONDS),
    });
    running.push(gateway);
    await gateway.printed(/"gateway listening"/);
    const api = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'X-Api-Key': ADMIN_KEY, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    return { process: gateway, api };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await new PackRepository(database.db).upsert({ ref: 'ops', name: 'ops', description: 'd', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/ops', metadata: {} });
    const noop = (name: string) => ({
      ref: `ops.${name}`, pack: 'ops', name, description: name, runnerType: 'noop', enabled: true,
      parameters: { host: { type: 'string' } }, tags: [], metadataFile: `actions/${name}.yaml`, metadata: {},
    });
    await new ActionRepository(database.db).replaceForPack('ops', [noop('diagnose'), noop('followup')]);
    temporal = await Connection.connect({ address: testServers().temporalAddress });
  });
  afterAll(async () => {
    for (const gatewayOrWorker of running) gatewayOrWorker.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    await temporal?.close();
    await database?.drop();
  });

  it('re-processes, after a restart, an instance a killed gateway stored but never started, exactly once', async () => {
    const hang = await blackhole();
    const first = await startGateway(hang.address);
    const rule = {
      name: 'diagnose_host', pack: 'ops',
      trigger: { type: 'core.st2.webhook', parameters: { url: 'hosts' } },
      action: { ref: 'ops.diagnose', parameters: { host: '{{ trigger.body.host }}' } },
    };
    expect((await first.api('/rules', rule)).status).toBe(201);
    // A follow-up rule on the diagnosis finishing: the worker emits actiontrigger.
    const followup = {
      name: 'after_diagnose', pack: 'ops',
      trigger: { type: 'core.st2.generic.actiontrigger' },
      criteria: { 'trigger.action_ref': { type: 'equals', pattern: 'ops.diagnose' }, 'trigger.status': { type: 'equals', pattern: 'succeeded' } },
      action: { ref: 'ops.followup', parameters: { host: '{{ trigger.parameters.host }}' } },
    };
    expect((await first.api('/rules', followup)).status).toBe(201);

    // The request hangs at Temporal; the gateway dies after recording the instance and the execution.
    const sent = first.api('/webhooks/hosts', { host: 'web-7' }, { 'Idempotency-Key': 'page-1' }).catch(() => undefined);
    const execution = await eventually(
      async () => (await database.db.selectFrom('executions').selectAll().where('action_ref', '=', 'ops.diagnose').executeTakeFirst()) ?? undefined,
      'the execution row',
      10_000,
    );
    first.process.child.kill('SIGKILL');
    await first.process.exited;
    await sent;
    await hang.close();
    const instanceId = execution.context.trigger_instance as string;
    expect((await database.db.selectFrom('trigger_instances').select('status').where('id', '=', instanceId).executeTakeFirstOrThrow()).status).toBe('processing');
    expect(execution.status).toBe('requested');

    worker = runProcess(WORKER, { DATABASE_URL: database.url, TEMPORAL_ADDRESS: testServers().temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue });
    running.push(worker);
    await worker.printed(/"worker polling"/);
    const second = await startGateway(testServers().temporalAddress);

    const finished = await eventually(async () => {
      const row = await database.db.selectFrom('executions').selectAll().where('id', '=', execution.id).executeTakeFirst();
      return row?.status === 'succeeded' ? row : undefined;
    }, 'the recovered execution succeeding', 20_000);
    expect(finished.parameters).toEqual({ host: 'web-7' });
    expect(await second.process.printed(/"processing a queued trigger instance"|"trigger instance processed"/)).toBeTruthy();
    expect(await second.process.printed(/"taking over a trigger instance whose gateway stopped renewing its claim"/)).toContain(instanceId);

    // The client's retry, with the same key, is the same event: nothing new starts.
    const retried = (await (await second.api('/webhooks/hosts', { host: 'web-7' }, { 'Idempotency-Key': 'page-1' })).json()) as Json;
    expect(retried).toMatchObject({ trigger_instance_id: instanceId, created: false, status: 'processed' });
    const diagnoses = await database.db.selectFrom('executions').select('id').where('action_ref', '=', 'ops.diagnose').execute();
    expect(diagnoses).toEqual([{ id: execution.id }]);
    const client = new Client({ connection: temporal });
    const workflows = await eventually(async () => {
      const found = [];
      for await (const w of client.workflow.list({ query: `TempestTriggerInstance = '${instanceId}'` })) found.push(w.workflowId);
      return found.length > 0 ? found : undefined;
    }, 'the workflow in Temporal visibility', 10_000);
    expect(workflows).toEqual([execution.id]);

    // The diagnosis finishing emitted actiontrigger once, in the same trace, and its rule ran the follow-up.
    const trace = await eventually(async () => {
      const body = (await (await second.api(`/traces/${instanceId}`)).json()) as Json;
      // The trace is read table by table, so wait until both finishes' actiontriggers are in it too.
      const finished = body.executions?.length === 2 && body.executions.every((e: Json) => e.status === 'succeeded');
      const emitted = body.trigger_instance_details?.filter((i: Json) => i.trigger === 'core.st2.generic.actiontrigger').length ?? 0;
      return finished && emitted >= 2 ? body : undefined;
    }, 'the follow-up execution and both actiontriggers in the trace', 20_000);
    expect(trace.executions.map((e: Json) => [e.action.ref, e.parameters])).toEqual([['ops.diagnose', { host: 'web-7' }], ['ops.followup', { host: 'web-7' }]]);
    const emitted = trace.trigger_instance_details.filter((i: Json) => i.trigger === 'core.st2.generic.actiontrigger');
    expect(emitted.map((i: Json) => i.payload.action_ref).sort()).toEqual(['ops.diagnose', 'ops.followup']);
    expect(emitted.find((i: Json) => i.payload.action_ref === 'ops.diagnose')).toMatchObject({ status: 'processed', payload: { execution_id: execution.id, status: 'succeeded', runner_ref: 'noop' } });
    expect(trace.rule_enforcements.map((e: Json) => e.rule_ref).sort()).toEqual(['ops.after_diagnose', 'ops.diagnose_host']);
  });

  it('keeps every event a storm was answered 202 for, when the gateway is killed right after, and runs each exactly once', async () => {
    const hang = await blackhole();
    const first = await startGateway(hang.address);
    const rule = { name: 'storm_host', pack: 'ops', trigger: { type: 'core.st2.webhook', parameters: { url: 'storm' } }, action: { ref: 'ops.diagnose', parameters: { host: '{{ trigger.body.host }}' } } };
    expect((await first.api('/rules', rule)).status).toBe(201);
    const stormEvents = () => database.db.selectFrom('trigger_instances').selectAll().where('parameters', '=', sql<Json>`'{"url":"storm"}'::jsonb`);

    // Four events held at Temporal keep the gateway busy: from then on events are stored and answered at once.
    const held = ['held-1', 'held-2', 'held-3', 'held-4'].map((host) => first.api('/webhooks/storm', { host }).catch(() => undefined));
    await eventually(async () => ((await stormEvents().execute()).length === 4 ? true : undefined), 'the four held events stored', 10_000);
    const hosts = Array.from({ length: 20 }, (_, i) => `storm-${i}`);
    const answers = await Promise.all(hosts.map(async (host) => {
      const response = await first.api('/webhooks/storm', { host });
      return { status: response.status, body: (await response.json()) as Json };
    }));
    first.process.child.kill('SIGKILL');
    await first.process.exited;
    await Promise.all(held);
    await hang.close();
    expect(answers.map((a) => a.status)).toEqual(hosts.map(() => 202));
    expect(answers.map((a) => a.body)).toEqual(hosts.map(() => expect.objectContaining({ status: 'pending', created: true, rule_enforcements: [] })));
    const accepted = answers.map((a) => a.body.trigger_instance_id as string);
    const stored = await stormEvents().where('id', 'in', accepted).execute();
    expect(stored.map((i) => (i.payload.body as Json).host).sort()).toEqual([...hosts].sort());

    worker ??= runProcess(WORKER, { DATABASE_URL: database.url, TEMPORAL_ADDRESS: testServers().temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue });
    if (!running.includes(worker)) running.push(worker);
    await startGateway(testServers().temporalAddress);
    const executions = await eventually(async () => {
      const rows = await database.db.selectFrom('executions').selectAll().where('action_ref', '=', 'ops.diagnose').where(sql<boolean>`context->>'rule' = 'ops.storm_host'`).execute();
      return rows.length === 24 && rows.every((r) => r.status === 'succeeded') ? rows : undefined;
    }, 'an execution for each of the 24 events, succeeded', 60_000);
    expect(executions.map((e) => e.parameters.host).sort()).toEqual([...hosts, 'held-1', 'held-2', 'held-3', 'held-4'].sort());
    expect((await stormEvents().execute()).map((i) => i.status)).toEqual(Array(24).fill('processed'));
    const enforcements = await database.db.selectFrom('rule_enforcements').select('trigger_instance_id').where('rule_ref', '=', 'ops.storm_host').execute();
    expect(new Set(enforcements.map((e) => e.trigger_instance_id)).size).toBe(24);
    expect(enforcements).toHaveLength(24);
  });

  it('never takes over an instance a live gateway is processing, not even at start, and takes over a lapsed one', async () => {
    const first = await startGateway(testServers().temporalAddress);
    const rule = { name: 'held_host', pack: 'ops', trigger: { type: 'core.st2.webhook', parameters: { url: 'held' } }, action: { ref: 'ops.diagnose', parameters: { host: '{{ trigger.body.host }}' } } };
    expect((await first.api('/rules', rule)).status).toBe(201);
    // A lapsed instance, as a gateway that died ten minutes ago left it; it matches no rule.
    const lapsed = (await new TriggerInstanceRepository(database.db).create({ id: randomUUID(), trigger: 'core.st2.webhook', parameters: { url: 'nobody' }, payload: { body: {} }, status: 'processing', traceTag: 'lapsed', source: 'webhook' })).instance;
    await database.db.updateTable('trigger_instances').set({ updated_at: sql`now() - interval '10 minutes'` }).where('id', '=', lapsed.id).execute();

    // The first gateway stays mid-way through an instance: its execution insert waits for this lock.
    const lock = new PostgresClient({ connectionString: database.url });
    await lock.connect();
    const waiting = async () => Number((await lock.query(`select count(*) as n from pg_locks where relation = 'executions'::regclass and not granted`)).rows[0].n);
    try {
      await lock.query('begin');
      await lock.query('lock table executions in exclusive mode');
      const sent = first.api('/webhooks/held', { host: 'db-1' }, { 'Idempotency-Key': 'held-1' });
      const held = await eventually(
        async () => (await database.db.selectFrom('trigger_instances').selectAll().where('idempotency_key', '=', 'held-1').executeTakeFirst()) ?? undefined,
        'the held instance',
        10_000,
      );
      await eventually(async () => (await waiting()) === 1, 'the first gateway waiting on the lock', 10_000);

      const second = await startGateway(testServers().temporalAddress);
      const started = Date.now();
      await eventually(
        async () => (await database.db.selectFrom('trigger_instances').select('status').where('id', '=', lapsed.id).executeTakeFirstOrThrow()).status === 'processed',
        'the lapsed instance taken over',
        15_000,
      );
      // Two leases after the second gateway started, with its start-up drain and several sweeps done,
      // the first gateway's renewals still hold the instance: it alone waits on the lock.
      await eventually(
        async () => (await database.db.selectFrom('trigger_instances').select('updated_at').where('id', '=', held.id).executeTakeFirstOrThrow()).updated_at.getTime() > started + 2 * LEASE_SECONDS * 1000,
        'two leases of renewals by the first gateway',
        15_000,
      );
      expect(await waiting()).toBe(1);
      expect((await database.db.selectFrom('trigger_instances').select('status').where('id', '=', held.id).executeTakeFirstOrThrow()).status).toBe('processing');
      expect(second.process.lines.filter((line) => line.includes(held.id))).toEqual([]);

      await lock.query('commit');
      expect((await sent).status).toBe(202);
      expect((await database.db.selectFrom('trigger_instances').select('status').where('id', '=', held.id).executeTakeFirstOrThrow()).status).toBe('processed');
      expect(second.process.lines.filter((line) => line.includes(held.id))).toEqual([]);
    } finally {
      await lock.end();
    }
  });
});
