import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { RuleRepository, type TriggerInstance } from '@tempest/db';
import { registerPack } from '@tempest/packs';
import { createTestDatabase, eventually, runProcess, type RunningProcess, type TestDatabase } from '@tempest/testing';

const repo = findRepoRoot();
const entry = join(repo, 'dist/apps/sensors/src/main.js');
// StackStorm's own packs, unchanged (libs/packs/fixtures/stackstorm/README.md).
const stackstorm = join(repo, 'libs/packs/fixtures/stackstorm');

/** A polling sensor that counts in the datastore, dispatches with a trace tag, logs, and notes its cleanup. */
const COUNTER_PY = `
import json
from st2reactor.sensor.base import PollingSensor


class CounterSensor(PollingSensor):
    def setup(self):
        self.log = self.sensor_service.get_logger(name=self.__class__.__name__)
        self.count = int(self.sensor_service.get_value("count") or 0)

    def poll(self):
        self.count += 1
        self.sensor_service.set_value("count", str(self.count))
        self.sensor_service.set_value("shared", "visible", local=False)
        listed = [(kv.name, kv.value) for kv in self.sensor_service.list_values(prefix="co")]
        self.log.info("tick %d", self.count)
        self.sensor_service.dispatch(
            trigger="pysense.tick",
            payload={"n": self.count, "listed": listed, "greeting": self.config.get("greeting"), "poll_interval": self.get_poll_interval()},
            trace_tag="tick-%d" % self.count,
        )

    def cleanup(self):
        with open(self.config["cleanup_file"], "w") as f:
            f.write("cleaned up after %d ticks" % self.count)
`;

/** Fails on every poll, as a broken sensor does. */
const BROKEN_PY = `
from st2reactor.sensor.base import PollingSensor


class BrokenSensor(PollingSensor):
    def poll(self):
        raise RuntimeError("boom: the python sensor failed")
`;

function instances(database: TestDatabase, trigger: string): Promise<TriggerInstance[]> {
  return database.db.selectFrom('trigger_instances').selectAll().where('trigger', '=', trigger).orderBy('occurrence_time').orderBy('id').execute();
}

const atLeast = <T>(min: number, rows: T[]) => (rows.length >= min ? rows : undefined);

describe('Python sensors (StackStorm st2reactor.sensor.base), unchanged', () => {
  let database: TestDatabase;
  let container: RunningProcess;
  const work = mkdtempSync(join(tmpdir(), 'tempest-python-sensors-'));
  const log = join(work, 'app.log');
  const cleanupFile = join(work, 'cleanup.txt');

  beforeAll(async () => {
    database = await createTestDatabase();
    writeFileSync(log, 'written before the sensor started\n');
    const root = join(work, 'content');
    const pack = join(root, 'packs', 'pysense');
    const files: Record<string, string> = {
      'pack.yaml': 'ref: pysense\nname: pysense\ndescription: d\nversion: 1.0.0\nauthor: a\n',
      'config.schema.yaml': 'greeting: { type: string, default: hello }\ncleanup_file: { type: string, required: true }\n',
      'sensors/counter.yaml': 'class_name: CounterSensor\nentry_point: counter.py\npoll_interval: 1\ntrigger_types:\n  - name: tick\n    payload_schema: { type: object }\n',
      'sensors/counter.py': COUNTER_PY,
      'sensors/broken.yaml': 'class_name: BrokenSensor\nentry_point: broken.py\npoll_interval: 1\n',
      'sensors/broken.py': BROKEN_PY,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(pack, path)), { recursive: true });
      writeFileSync(join(pack, path), text);
    }
    mkdirSync(join(root, 'configs'));
    writeFileSync(join(root, 'configs', 'pysense.yaml'), `cleanup_file: ${cleanupFile}\n`);
    expect(await registerPack(database.db, pack, root, join(root, 'configs'))).toMatchObject({ ref: 'pysense' });
    expect(await registerPack(database.db, join(stackstorm, 'linux'), stackstorm, join(stackstorm, 'configs'))).toMatchObject({ ref: 'linux' });
    // A rule asks the linux pack's FileWatchSensor to tail the log.
    await new RuleRepository(database.db).create({
      ref: 'linux.on_log_line', pack: 'linux', name: 'on_log_line', description: '', enabled: true, type: 'standard',
      trigger: { type: 'linux.file_watch.line', parameters: { file_path: log } }, criteria: {},
      action: { ref: 'core.echo', parameters: { message: '{{ trigger.line }}' } }, context: {}, createdBy: 'test',
    });
    container = runProcess(entry, { DATABASE_URL: database.url, TEMPEST_LOG_LEVEL: 'info', TEMPEST_SENSOR_LEASE_SECONDS: '2' });
    await container.printed(/sensor container ready/);
  });
  afterAll(async () => {
    if (container.child.exitCode === null) {
      container.child.kill('SIGTERM');
      await container.exited;
    }
    await database.drop();
  });

  it("runs StackStorm's linux FileWatchSensor as it is: the trigger a rule asked for reaches add_trigger, and each new line is dispatched for it", async () => {
    await container.printed(/Added file .*app\.log.* to watch list/);
    // add_trigger() logs that before its watcher thread has opened the file and sought to its end, and a line
    // written in between is, by design, not read: lines are written until the sensor dispatches one.
    let written = 0;
    const [line] = await eventually(async () => {
      const dispatched = atLeast(1, await instances(database, 'linux.file_watch.line'));
      if (!dispatched) appendFileSync(log, `disk /var is 97% full (${++written})\n`);
      return dispatched;
    }, 'a dispatched line', 20_000);
    expect(line).toMatchObject({ status: 'pending', source: 'sensor', parameters: { file_path: log }, payload: { file_path: log, file_name: 'app.log', line: expect.stringMatching(/^disk \/var is 97% full \(\d+\)$/) }, context: { sensor: 'linux.FileWatchSensor' } });
  });

  it("polls a PollingSensor with StackStorm's sensor_service: dispatch with a trace tag, the datastore (local keys prefixed), get_logger, the pack's config", async () => {
    const ticks = await eventually(async () => atLeast(2, await instances(database, 'pysense.tick')), 'two ticks', 20_000);
    expect(ticks[0]).toMatchObject({ trace_tag: 'tick-1', payload: { n: 1, greeting: 'hello', poll_interval: 1, listed: [['pysense.CounterSensor:count', '1']] } });
    expect(ticks[1]).toMatchObject({ trace_tag: 'tick-2', payload: { n: 2 } });
    const keys = await database.db.selectFrom('key_value_pairs').select(['name', 'value']).where('name', 'in', ['pysense.CounterSensor:count', 'shared']).orderBy('name').execute();
    expect(keys.map((k) => k.name)).toEqual(['pysense.CounterSensor:count', 'shared']);
    await container.printed(/"sensor":"pysense\.CounterSensor","logger":"tempest\.sensor\.CounterSensor","msg":"tick 2"/);
  });

  it('logs why a Python sensor failed, with its traceback, and starts it again', async () => {
    await container.printed(/"sensor":"pysense\.BrokenSensor".*"msg":"sensor failed: boom: the python sensor failed".*Traceback/);
    const exits = await eventually(
      async () => atLeast(2, (await instances(database, 'core.st2.sensor.process_exit')).filter((i) => i.payload.ref === 'pysense.BrokenSensor')),
      'the broken sensor to be restarted and fail again',
      20_000,
    );
    expect(exits[0].payload).toMatchObject({ exit_code: 1 });
  });

  // Last: it stops the container.
  it("calls cleanup() when the container stops it", async () => {
    container.child.kill('SIGTERM');
    expect(await container.exited).toBe(0);
    expect(existsSync(cleanupFile)).toBe(true);
    expect(readFileSync(cleanupFile, 'utf8')).toMatch(/^cleaned up after \d+ ticks$/);
  });
});
