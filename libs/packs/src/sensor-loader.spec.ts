import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadPack } from './pack-loader';
import { loadSensors } from './sensor-loader';
import { formatProblem } from './yaml-file';

/** A pack folder `packs/ops` holding the given files. */
function pack(files: Record<string, string>): { dir: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'tempest-sensors-'));
  const dir = join(root, 'packs', 'ops');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, root };
}

async function problemsOf(files: Record<string, string>): Promise<string[]> {
  const { dir, root } = pack(files);
  return (await loadSensors(dir, 'ops', root)).problems.map(formatProblem);
}

const WATCHER = [
  'class_name: FileWatcher',
  'entry_point: file_watcher.ts',
  'description: Watches files',
  'poll_interval: 10',
  'trigger_types:',
  '  - name: file_line',
  '    description: A new line in a file',
  '    parameters_schema: {type: object, properties: {path: {type: string}}}',
  '    payload_schema: {type: object, properties: {line: {type: string}}}',
  '',
].join('\n');

describe(loadSensors.name, () => {
  it('loads StackStorm sensor metadata and the trigger types it declares', async () => {
    const { dir, root } = pack({ 'sensors/file_watcher.yaml': WATCHER, 'sensors/file_watcher.ts': 'export class FileWatcher {}\n' });
    const { sensors, triggerTypes, problems } = await loadSensors(dir, 'ops', root);
    expect(problems).toEqual([]);
    expect(sensors).toEqual([
      expect.objectContaining({
        ref: 'ops.FileWatcher',
        className: 'FileWatcher',
        entryPoint: 'file_watcher.ts',
        enabled: true,
        pollInterval: 10,
        triggerTypes: ['ops.file_line'],
        metadataFile: 'sensors/file_watcher.yaml',
      }),
    ]);
    expect(triggerTypes).toEqual([
      {
        ref: 'ops.file_line',
        pack: 'ops',
        name: 'file_line',
        description: 'A new line in a file',
        parametersSchema: { type: 'object', properties: { path: { type: 'string' } } },
        payloadSchema: { type: 'object', properties: { line: { type: 'string' } } },
        metadataFile: 'sensors/file_watcher.yaml',
      },
    ]);
  });

  it('names file, line and field for a missing class, a bad poll interval and a missing module', async () => {
    expect(await problemsOf({ 'sensors/a.yaml': 'entry_point: a.js\npoll_interval: 0\n' })).toEqual([
      'packs/ops/sensors/a.yaml:1: class_name: required',
      'packs/ops/sensors/a.yaml:2: poll_interval: expected at least 1 second',
    ]);
    expect(await problemsOf({ 'sensors/b.yaml': 'class_name: B\nentry_point: b.js\n' })).toEqual(['packs/ops/sensors/b.yaml:2: entry_point: no file sensors/b.js in the pack']);
    expect(await problemsOf({ 'sensors/c.yaml': 'class_name: C\nentry_point: ../actions/c.js\n' })).toEqual([
      "packs/ops/sensors/c.yaml:2: entry_point: must name a file inside the pack's sensors folder",
    ]);
  });

  it('registers a Python sensor (StackStorm\'s own kind), and refuses a module of another language naming the ones it runs', async () => {
    expect(await problemsOf({ 'sensors/p.yaml': 'class_name: P\nentry_point: p.py\n', 'sensors/p.py': 'class P: pass\n' })).toEqual([]);
    expect(await problemsOf({ 'sensors/r.yaml': 'class_name: R\nentry_point: r.rb\n', 'sensors/r.rb': '' })).toEqual([
      'packs/ops/sensors/r.yaml:2: entry_point: Tempest runs sensors written in Python, TypeScript or JavaScript (.py, .ts, .js), not r.rb',
    ]);
  });

  it('refuses two sensors of one class and a trigger type declared twice', async () => {
    const problems = await problemsOf({
      'sensors/a.yaml': WATCHER,
      'sensors/b.yaml': WATCHER.replace('FileWatcher', 'Other'),
      'sensors/c.yaml': 'class_name: FileWatcher\nentry_point: file_watcher.ts\n',
      'sensors/file_watcher.ts': '',
    });
    expect(problems).toEqual([
      'packs/ops/sensors/b.yaml:6: trigger_types.0.name: trigger type ops.file_line is also declared in sensors/a.yaml',
      'packs/ops/sensors/c.yaml:1: class_name: "FileWatcher" is also the class of the sensor in sensors/a.yaml',
    ]);
  });

  it("refuses a trigger type named as one of StackStorm's built-in ones", async () => {
    const { dir, root } = pack({ 'sensors/d.yaml': 'class_name: D\nentry_point: d.js\ntrigger_types:\n  - name: st2.webhook\n', 'sensors/d.js': '' });
    expect((await loadSensors(dir, 'core', root)).problems.map(formatProblem)).toEqual(['packs/ops/sensors/d.yaml:4: trigger_types.0.name: core.st2.webhook is a built-in trigger type']);
  });
});

describe(`${loadPack.name} with sensors`, () => {
  it("registers a sensor's trigger types with the pack's own, and refuses one both declare", async () => {
    const files = {
      'pack.yaml': 'ref: ops\nname: ops\ndescription: d\nversion: 1.0.0\nauthor: a\n',
      'sensors/file_watcher.yaml': WATCHER,
      'sensors/file_watcher.ts': '',
      'triggers/alert.yaml': 'name: alert\n',
    };
    const { dir, root } = pack(files);
    const loaded = await loadPack(dir, root);
    expect(Array.isArray(loaded) ? loaded.map(formatProblem) : loaded.triggerTypes.map((t) => t.ref)).toEqual(['ops.alert', 'ops.file_line']);

    const clash = pack({ ...files, 'triggers/alert.yaml': 'name: file_line\n' });
    const refused = await loadPack(clash.dir, clash.root);
    expect(Array.isArray(refused) ? refused.map(formatProblem) : refused).toEqual([
      'packs/ops/sensors/file_watcher.yaml:6: trigger_types.0.name: trigger type ops.file_line is also declared in triggers/alert.yaml',
    ]);
  });
});
