import { connect } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ActionRepository, ExecutionRepository, PackRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, eventually, testConfig, uniqueName, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';
import { StreamHub } from './stream-hub';

const ADMIN_KEY = 'tpst_test-admin-key-event-stream-0123456';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Received {
  status: number;
  /** Everything read so far, as sent. */
  text: () => string;
  events: () => { event: string; data: Json }[];
  ended: Promise<void>;
  close: () => void;
}

/** A server-sent events reader of its own (not the client library's), to see the stream as sent on the wire. */
async function listen(url: string, headers: Record<string, string> = { 'X-Api-Key': ADMIN_KEY }): Promise<Received> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  let text = '';
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const bytes of response.body) text += decoder.decode(bytes, { stream: true });
    } catch {
      // Aborted by close().
    }
  })();
  return {
    status: response.status,
    text: () => text,
    events: () =>
      text
        .split('\n\n')
        .filter((block) => block.startsWith('event: '))
        .map((block) => {
          const [eventLine, dataLine] = block.split('\n');
          return { event: eventLine.slice('event: '.length), data: JSON.parse(dataLine.slice('data: '.length)) as Json };
        }),
    ended,
    close: () => abort.abort(),
  };
}

/** GET /stream/v1/stream: StackStorm's event stream, fed by Postgres notifications, so every replica serves it. */
describe('GET /stream/v1/stream', () => {
  let database: TestDatabase;
  let replicas: NestFastifyApplication[];
  let bases: string[];
  let worker: ExecutionRepository;
  let logs: ReturnType<typeof captureLogs>;
  const streams: Received[] = [];

  const start = (action: string, base = bases[0]) =>
    fetch(`${base}/api/v1/executions`, { method: 'POST', headers: { 'X-Api-Key': ADMIN_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ action, parameters: {} }) }).then(
      async (r) => ((await r.json()) as { id: string }).id,
    );
  const stream = async (query: string, base = bases[0], headers?: Record<string, string>) => {
    const received = await listen(`${base}/stream/v1/stream${query}`, headers);
    streams.push(received);
    return received;
  };
  const of = (received: Received, id: string) => received.events().filter((e) => (e.data.execution_id ?? e.data.id) === id);

  beforeAll(async () => {
    database = await createTestDatabase();
    await new PackRepository(database.db).upsert({ ref: 'live', name: 'live', description: 'd', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/live', metadata: {} });
    await new ActionRepository(database.db).replaceForPack('live', [
      { ref: 'live.one', pack: 'live', name: 'one', description: 'one', runnerType: 'noop', enabled: true, parameters: {}, tags: [], metadataFile: 'actions/one.yaml', metadata: {} },
      { ref: 'live.two', pack: 'live', name: 'two', description: 'two', runnerType: 'noop', enabled: true, parameters: {}, tags: [], metadataFile: 'actions/two.yaml', metadata: {} },
    ]);
    logs = captureLogs('gateway', 'warn');
    // A task queue no worker serves: the test plays the worker, writing to Postgres from a connection of its own.
    const env = { DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPORAL_TASK_QUEUE: uniqueName('unserved'), TEMPEST_STREAM_HEARTBEAT_SECONDS: '1', TEMPEST_STREAM_CLIENT_BUFFER_BYTES: '65536' };
    replicas = [await createGatewayApp(testConfig(env), logs.logger), await createGatewayApp(testConfig(env), logs.logger)];
    bases = [];
    for (const app of replicas) {
      await app.listen({ host: '127.0.0.1', port: 0 });
      bases.push(`http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`);
    }
    worker = new ExecutionRepository(database.db);
  });
  afterEach(() => streams.splice(0).forEach((s) => s.close()));
  afterAll(async () => {
    for (const app of replicas ?? []) await app.close();
    await database?.drop();
  });

  it("streams an execution's create, updates and output in order, with StackStorm's event names and shapes", async () => {
    const received = await stream('?events=st2.execution__create,st2.execution__update,st2.liveaction__create,st2.liveaction__update,st2.execution.output__create');
    expect(received.status).toBe(200);
    const id = await start('live.one');
    await worker.transition(id, 'running');
    await worker.appendOutput(id, 1, [{ seq: 0, stream: 'stdout', data: 'disk at 97%\n' }]);
    await worker.appendOutput(id, 1, [{ seq: 1, stream: 'stderr', data: 'cleaning up\n' }]);
    await worker.transition(id, 'succeeded', { result: { ok: true } });
    await eventually(() => of(received, id).some((e) => e.event === 'st2.liveaction__update' && e.data.status === 'succeeded'), 'the liveaction update of the end');

    const events = of(received, id);
    const execution = events.filter((e) => e.event.startsWith('st2.execution__'));
    expect(execution[0]).toMatchObject({ event: 'st2.execution__create', data: { id, action: { ref: 'live.one' }, status: 'requested' } });
    expect(execution.slice(1).every((e) => e.event === 'st2.execution__update')).toBe(true);
    // Each event shows the status of its moment, in the order they happened.
    const statuses = execution.map((e) => e.data.status).filter((s, i, all) => s !== all[i - 1]);
    expect(statuses.slice(statuses.indexOf('running'))).toEqual(['running', 'succeeded']);
    expect(execution.at(-1)?.data).toMatchObject({ status: 'succeeded', result: { ok: true }, end_timestamp: expect.any(String) });
    expect(events.find((e) => e.event === 'st2.liveaction__create')?.data).toMatchObject({ id, action: 'live.one', status: 'requested' });

    const output = events.filter((e) => e.event === 'st2.execution.output__create').map((e) => e.data);
    expect(output).toEqual([
      { id: expect.any(String), execution_id: id, action_ref: 'live.one', runner_ref: 'noop', timestamp: expect.any(String), output_type: 'stdout', data: 'disk at 97%\n' },
      { id: expect.any(String), execution_id: id, action_ref: 'live.one', runner_ref: 'noop', timestamp: expect.any(String), output_type: 'stderr', data: 'cleaning up\n' },
    ]);
    // Output comes between running and the end, as it happened.
    const names = events.map((e) => `${e.event}${e.data.status ? ` ${e.data.status}` : ''}`);
    expect(names.indexOf('st2.execution.output__create')).toBeGreaterThan(names.indexOf('st2.execution__update running'));
    expect(names.lastIndexOf('st2.execution.output__create')).toBeLessThan(names.indexOf('st2.execution__update succeeded'));
  });

  it("leaves output out unless asked, as StackStorm's default events do", async () => {
    const received = await stream('');
    const id = await start('live.one');
    await worker.appendOutput(id, 1, [{ seq: 0, stream: 'stdout', data: 'quiet\n' }]);
    await worker.transition(id, 'running');
    await eventually(() => of(received, id).some((e) => e.event === 'st2.execution__update' && e.data.status === 'running'), 'the update to running');
    expect(received.events().map((e) => e.event)).not.toContain('st2.execution.output__create');
  });

  it('filters by execution_ids (and execution_id), action_refs and event globs', async () => {
    const byId = await stream('?events=st2.execution.output__create,st2.execution__update');
    const [first, second] = [await start('live.one'), await start('live.two')];
    const onlyFirst = await stream(`?events=st2.execution.output__create&execution_ids=${first}`);
    const onlySecond = await stream(`?events=st2.execution.output__create&execution_id=${second}`);
    const onlyTwo = await stream('?events=st2.execution.output__create&action_refs=live.two');
    const globbed = await stream('?events=st2.execution.*');
    await worker.appendOutput(first, 1, [{ seq: 0, stream: 'stdout', data: 'first\n' }]);
    await worker.appendOutput(second, 1, [{ seq: 0, stream: 'stdout', data: 'second\n' }]);
    await worker.transition(second, 'running');
    await eventually(() => byId.events().some((e) => e.data.id === second && e.data.status === 'running'), 'the last event, on an unfiltered stream');
    await eventually(() => onlySecond.events().length > 0 && onlyTwo.events().length > 0 && globbed.events().length > 1, 'the filtered streams');

    expect(onlyFirst.events().map((e) => e.data.data)).toEqual(['first\n']);
    expect(onlySecond.events().map((e) => e.data.data)).toEqual(['second\n']);
    expect(onlyTwo.events().map((e) => e.data.data)).toEqual(['second\n']);
    expect(new Set(globbed.events().map((e) => e.event))).toEqual(new Set(['st2.execution.output__create']));
  });

  it('serves on every replica the events another replica or a worker caused', async () => {
    const [one, two] = [await stream('', bases[0]), await stream('', bases[1])];
    const id = await start('live.one', bases[1]);
    await worker.transition(id, 'running');
    for (const received of [one, two]) {
      await eventually(() => of(received, id).some((e) => e.event === 'st2.execution__update' && e.data.status === 'running'), 'the update on each replica');
      expect(of(received, id).map((e) => `${e.event} ${e.data.status}`)).toEqual([
        'st2.execution__create requested',
        'st2.liveaction__create requested',
        'st2.execution__update scheduled',
        'st2.liveaction__update scheduled',
        'st2.execution__update running',
        'st2.liveaction__update running',
      ]);
    }
  });

  it('ends after the end event of the execution asked, as `st2 execution tail` asks it', async () => {
    const id = await start('live.one');
    const received = await stream(`?events=st2.execution__update,st2.execution.output__create&end_event=st2.execution__update&end_execution_id=${id}`);
    await worker.transition(id, 'running');
    await worker.appendOutput(id, 1, [{ seq: 0, stream: 'stdout', data: 'done soon\n' }]);
    await worker.transition(id, 'failed', { result: {} });
    await received.ended;
    // The POST's own update to scheduled may come first, depending on when the stream subscribed.
    const seen = of(received, id).map((e) => e.data.status ?? e.data.data);
    expect(seen.slice(seen.indexOf('running'))).toEqual(['running', 'done soon\n', 'failed']);
  });

  it('takes the key as StackStorm clients send it, and refuses a request without one or with an unknown parameter', async () => {
    expect((await stream('', bases[0], {})).status).toBe(401);
    expect((await stream('', bases[0], { 'St2-Api-Key': ADMIN_KEY })).status).toBe(200);
    expect((await stream(`?st2-api-key=${ADMIN_KEY}`, bases[0], {})).status).toBe(200);
    expect((await stream(`?x-auth-token=${ADMIN_KEY}`, bases[0], {})).status).toBe(200);
    const refused = await fetch(`${bases[0]}/stream/v1/stream?execution=abc`, { headers: { 'X-Api-Key': ADMIN_KEY } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('execution: unknown query parameter');
  });

  it('sends keep-alive comments while nothing happens', async () => {
    const received = await stream('?execution_ids=nothing-happens-here');
    await eventually(() => received.text().includes(': keep-alive\n\n'), 'a keep-alive comment', 5000);
  });

  it('forgets a client that disconnects', async () => {
    const hub = replicas[0].get(StreamHub);
    // The clients of earlier tests have hung up.
    await eventually(() => hub.size === 0, 'no client');
    const received = await stream('');
    expect(hub.size).toBe(1);
    received.close();
    await eventually(() => hub.size === 0, 'the client to be unsubscribed');
  });

  it('disconnects a client that does not read, instead of buffering for it without bound', async () => {
    const id = await start('live.one');
    const { port } = new URL(bases[0]);
    const socket = connect(Number(port), '127.0.0.1');
    let head = '';
    const readHead = (bytes: Buffer) => {
      head += bytes.toString();
      // Reads the response's first bytes, then nothing more.
      socket.pause();
    };
    socket.on('data', readHead);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(`GET /stream/v1/stream?events=st2.execution.output__create&execution_ids=${id} HTTP/1.1\r\nHost: x\r\nX-Api-Key: ${ADMIN_KEY}\r\n\r\n`);
    await eventually(() => head.includes('200 OK'), 'the stream to open');
    const big = 'x'.repeat(8000);
    for (let batch = 0; batch < 60 && !logs.lines.some((l) => l.includes('reads too slowly')); batch++) {
      await worker.appendOutput(id, 1, Array.from({ length: 50 }, (_, i) => ({ seq: batch * 50 + i, stream: 'stdout' as const, data: big })));
    }
    await eventually(() => logs.lines.some((l) => l.includes('event stream client reads too slowly: disconnected')), 'the slow client to be cut off', 20_000);
    // Its connection was closed: once it reads what it was sent, it sees the end.
    socket.off('data', readHead);
    socket.resume();
    await closed;
  }, 60_000);
});
