import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { RuleRepository, SensorLeaseRepository, SensorTypeRepository, type TriggerInstance } from '@tempest/db';
import { registerPack } from '@tempest/packs';
import { captureLogs, createTestDatabase, eventually, type RunningProcess, runProcess, testConfig, type TestDatabase, uniqueName } from '@tempest/testing';
// The real gateway, in this process: its ingestion takes the sensor's pending trigger instances.
import { createGatewayApp } from '../../gateway/src/app';
import { SensorContainer } from './sensor-container';
import { triggerOf } from './watched-triggers';

// The compiled container, as `npm start` and docker-compose run it, with real sensor processes.
const entry = join(findRepoRoot(), 'dist/apps/sensors/src/main.js');
const LEASE_SECONDS = 2;

/** A pack folder with the given files, registered into the database. */
async function registerFixture(database: TestDatabase, ref: string, files: Record<string, string>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'tempest-sensor-packs-'));
  const dir = join(root, 'packs', ref);
  for (const [path, text] of Object.entries({ 'pack.yaml': `ref: ${ref}\nname: ${ref}\ndescription: d\nversion: 1.0.0\nauthor: a\n`, ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  expect(await registerPack(database.db, dir, root)).toMatchObject({ ref });
}

function startContainer(database: TestDatabase): RunningProcess {
  return runProcess(entry, { DATABASE_URL: database.url, TEMPEST_LOG_LEVEL: 'info', TEMPEST_SENSOR_LEASE_SECONDS: String(LEASE_SECONDS) });
}

async function stopContainer(container: RunningProcess): Promise<void> {
  container.child.kill('SIGTERM');
  expect(await container.exited).toBe(0);
}

function instances(database: TestDatabase, trigger: string): Promise<TriggerInstance[]> {
  return database.db.selectFrom('trigger_instances').selectAll().where('trigger', '=', trigger).orderBy('occurrence_time').orderBy('id').execute();
}

const sensorEvents = async (database: TestDatabase, kind: 'spawn' | 'exit', ref: string) =>
  (await instances(database, `core.st2.sensor.process_${kind}`)).filter((i) => i.payload.ref === ref);

/** The lines the example sensor dispatched for one file (the pack's own rule watches another). */
const linesOf = async (database: TestDatabase, path: string) => (await instances(database, 'examples.file_line')).filter((i) => i.payload.path === path);

const atLeast = <T>(min: number, rows: T[]) => (rows.length >= min ? rows : undefined);

describe(SensorContainer.name, () => {
  describe('one container', () => {
    let database: TestDatabase;
    let container: RunningProcess;
    const log = join(mkdtempSync(join(tmpdir(), 'tempest-tail-')), 'app.log');

    beforeAll(async () => {
      database = await createTestDatabase();
      writeFileSync(log, 'written before the sensor started\n');
      for (const pack of ['core', 'examples']) expect(await registerPack(database.db, join(findRepoRoot(), 'packs', pack), findRepoRoot())).toMatchObject({ ref: pack });
      await registerFixture(database, 'crashy', {
        'sensors/crasher.yaml': 'class_name: Crasher\nentry_point: crasher.js\npoll_interval: 1\n',
        'sensors/crasher.js': "class Crasher {\n  poll() {\n    throw new Error('boom: the sensor failed');\n  }\n}\nmodule.exports = { Crasher };\n",
      });
      await new RuleRepository(database.db).create({
        ref: 'examples.on_log_line', pack: 'examples', name: 'on_log_line', description: '', enabled: true, type: 'standard',
        trigger: { type: 'examples.file_line', parameters: { path: log } }, criteria: { 'trigger.line': { type: 'icontains', pattern: 'error' } },
        action: { ref: 'core.echo', parameters: { message: '{{ trigger.line }}' } }, context: {}, createdBy: 'test',
      });
      container = startContainer(database);
      await container.printed(/sensor container ready/);
    });
    afterAll(async () => {
      await stopContainer(container);
      await database.drop();
    });

    it('runs the example polling sensor, whose lines become pending trigger instances for the rules', async () => {
      // The sensor notes where the file ends when it starts watching it; only lines after that count.
      const offsetKey = `examples.FileTailSensor:offset.${triggerOf('examples.file_line', { path: log }).id}`;
      await eventually(() => database.db.selectFrom('key_value_pairs').select('value').where('name', '=', offsetKey).executeTakeFirst(), 'the sensor to watch the file');
      appendFileSync(log, 'disk /var is 97% full\nall good');
      const [first] = await eventually(async () => atLeast(1, await linesOf(database, log)), 'a dispatched line');
      expect(first).toMatchObject({ status: 'pending', source: 'sensor', parameters: { path: log }, payload: { path: log, line: 'disk /var is 97% full' }, context: { sensor: 'examples.FileTailSensor' } });
      appendFileSync(log, ' again\n');
      const lines = await eventually(async () => atLeast(2, await linesOf(database, log)), 'the completed line');
      expect(lines.map((l) => l.payload.line)).toEqual(['disk /var is 97% full', 'all good again']);
      expect(await sensorEvents(database, 'spawn', 'examples.FileTailSensor')).toEqual([
        expect.objectContaining({ status: 'pending', payload: expect.objectContaining({ id: 'FileTailSensor', pid: expect.any(Number), timestamp: expect.any(Number) }) }),
      ]);
    });

    it("runs the rule: the gateway's ingestion matches the sensor's event and starts the action", async () => {
      // A task queue no worker serves: the execution is recorded and started, and stays scheduled.
      const config = testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: 'tpst_test-admin-key-sensors-e2e-0123', TEMPORAL_TASK_QUEUE: uniqueName('sensors') });
      const gateway = await createGatewayApp(config, captureLogs('gateway').logger);
      await gateway.init();
      try {
        appendFileSync(log, 'ERROR: /var/lib/postgresql is read-only\n');
        const [enforcement] = await eventually(
          () => database.db.selectFrom('rule_enforcements').selectAll().where('rule_ref', '=', 'examples.on_log_line').where('execution_id', 'is not', null).execute().then((rows) => atLeast(1, rows)),
          'the rule to be enforced',
        );
        const instance = await database.db.selectFrom('trigger_instances').selectAll().where('id', '=', enforcement.trigger_instance_id).executeTakeFirstOrThrow();
        expect(instance).toMatchObject({ trigger: 'examples.file_line', source: 'sensor', status: 'processed', payload: { line: 'ERROR: /var/lib/postgresql is read-only' } });
        const execution = await database.db.selectFrom('executions').selectAll().where('id', '=', enforcement.execution_id!).executeTakeFirstOrThrow();
        expect(execution).toMatchObject({ action_ref: 'core.echo', parameters: expect.objectContaining({ message: 'ERROR: /var/lib/postgresql is read-only' }) });
        // The lines without "error" matched no rule.
        expect(await database.db.selectFrom('rule_enforcements').select('id').where('rule_ref', '=', 'examples.on_log_line').execute()).toHaveLength(1);
      } finally {
        await gateway.close();
      }
    });

    it('gives a running sensor the triggers of rules made after it started, and takes back those of deleted rules', async () => {
      const other = join(dirname(log), 'other.log');
      const rules = new RuleRepository(database.db);
      await rules.create({
        ref: 'examples.on_other_line', pack: 'examples', name: 'on_other_line', description: '', enabled: true, type: 'standard',
        trigger: { type: 'examples.file_line', parameters: { path: other } }, criteria: {}, action: { ref: 'core.noop', parameters: {} }, context: {}, createdBy: 'test',
      });
      const offsetKey = `examples.FileTailSensor:offset.${triggerOf('examples.file_line', { path: other }).id}`;
      await eventually(() => database.db.selectFrom('key_value_pairs').select('value').where('name', '=', offsetKey).executeTakeFirst(), 'the sensor to watch the new file');
      appendFileSync(other, 'from the other file\n');
      const [line] = await eventually(async () => atLeast(1, await linesOf(database, other)), 'a line of the new file');
      expect(line.parameters).toEqual({ path: other });
      await database.db.deleteFrom('rules').where('ref', '=', 'examples.on_other_line').execute();
      // Proof it was taken back: a line appended after that is never dispatched, while the first file still is.
      const before = (await linesOf(database, log)).length;
      await eventually(async () => (container.lines.some((l) => l.includes('stopped tailing')) ? true : undefined), 'the trigger to be removed');
      appendFileSync(other, 'nobody listens\n');
      appendFileSync(log, 'still watched\n');
      await eventually(async () => atLeast(before + 1, await linesOf(database, log)), 'the next line of the first file');
      // One more poll: the one that read "still watched" has then read every file it watches.
      appendFileSync(log, 'one more\n');
      const after = await eventually(async () => atLeast(before + 2, await linesOf(database, log)), 'one more poll');
      expect(after.slice(before).map((i) => i.payload.line)).toEqual(['still watched', 'one more']);
      expect(await linesOf(database, other)).toHaveLength(1);
    });

    it('restarts a sensor that throws, recording each exit as process_exit', async () => {
      const spawns = await eventually(async () => atLeast(2, await sensorEvents(database, 'spawn', 'crashy.Crasher')), 'the crashed sensor to be started again');
      const [exit] = await sensorEvents(database, 'exit', 'crashy.Crasher');
      expect(exit.payload).toEqual({ id: 'Crasher', ref: 'crashy.Crasher', timestamp: expect.any(Number), pid: spawns[0].payload.pid, exit_code: 1 });
      expect(spawns[1].payload.pid).not.toBe(spawns[0].payload.pid);
      expect(container.lines.join('\n')).toContain('boom: the sensor failed');
      // Its neighbour never noticed.
      expect(await sensorEvents(database, 'spawn', 'examples.FileTailSensor')).toHaveLength(1);
    });

    it('stops a sensor when it is disabled and starts it when it is enabled again, without a restart', async () => {
      const sensors = new SensorTypeRepository(database.db);
      await sensors.setEnabled('crashy.Crasher', false);
      await sensors.setEnabled('examples.FileTailSensor', false);
      await eventually(async () => atLeast(1, await sensorEvents(database, 'exit', 'examples.FileTailSensor')), 'the disabled sensor to stop');
      await eventually(async () => ((await new SensorLeaseRepository(database.db).search()).length === 0 ? true : undefined), 'the leases to be given up');
      await sensors.setEnabled('examples.FileTailSensor', true);
      await eventually(async () => atLeast(2, await sensorEvents(database, 'spawn', 'examples.FileTailSensor')), 'the enabled sensor to start');
    });
  });

  describe('two containers on one database', () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase();
      await registerFixture(database, 'ticking', {
        'config.schema.yaml': 'label: {type: string, default: from-the-pack-config}\n',
        'sensors/ticker.yaml': 'class_name: Ticker\nentry_point: ticker.ts\npoll_interval: 1\ntrigger_types:\n  - name: tick\n    payload_schema: {type: object, properties: {n: {type: integer}}, required: [n]}\n',
        'sensors/ticker.ts': [
          "import { PollingSensor } from '@tempest/sensor-api';",
          '',
          'export class Ticker extends PollingSensor {',
          '  async poll(): Promise<void> {',
          "    const n = Number((await this.sensorService.getValue('n')) ?? 0) + 1;",
          "    await this.sensorService.setValue('n', String(n));",
          "    await this.sensorService.dispatch('tick', { n, label: this.config.label });",
          '  }',
          '}',
          '',
        ].join('\n'),
      });
    });
    afterAll(() => database.drop());

    it('runs each sensor once, and the survivor takes it over when the owner is killed', async () => {
      const ticks = async () => (await instances(database, 'ticking.tick')).map((t) => t.payload.n as number);
      const first = startContainer(database);
      await first.printed(/sensor container ready/);
      const [spawn] = await eventually(async () => atLeast(1, await sensorEvents(database, 'spawn', 'ticking.Ticker')), 'the sensor to start');
      const second = startContainer(database);
      const owner = (line: string) => JSON.parse(line).owner as string;
      const secondOwner = owner(await second.printed(/sensor container ready/));
      // Two lease periods of ticks with both containers up: the second never starts its own.
      const before = (await ticks()).length;
      await eventually(async () => atLeast(before + 2 * LEASE_SECONDS, await ticks()), 'more ticks');
      expect(await sensorEvents(database, 'spawn', 'ticking.Ticker')).toHaveLength(1);
      expect((await instances(database, 'ticking.tick'))[0].payload).toEqual({ n: 1, label: 'from-the-pack-config' });

      first.child.kill('SIGKILL');
      await first.exited;
      const spawns = await eventually(async () => atLeast(2, await sensorEvents(database, 'spawn', 'ticking.Ticker')), 'the survivor to take the sensor over', 5_000 + LEASE_SECONDS * 1000);
      expect((await new SensorLeaseRepository(database.db).search()).map((l) => [l.sensor_ref, l.owner])).toEqual([['ticking.Ticker', secondOwner]]);
      // The killed container's sensor process went with it.
      await eventually(async () => (isAlive(spawn.payload.pid as number) ? undefined : true), 'the orphaned sensor process to exit');
      const count = (await ticks()).length;
      await eventually(async () => atLeast(count + 2, await ticks()), 'ticks from the survivor');
      const numbers = await ticks();
      expect(new Set(numbers).size).toBe(numbers.length);
      expect(spawns).toHaveLength(2);
      await stopContainer(second);
      expect(await new SensorLeaseRepository(database.db).search()).toEqual([]);
    });
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
