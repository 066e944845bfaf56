import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TempestClient } from '@tempest/client';
import { findRepoRoot } from '@tempest/config';
import { eventually, startTestPlatform, type TestPlatform } from '@tempest/testing';
import { tempestAgainst } from '../testing/cli-harness';
import { executionCommand } from './execution.commands';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An ActionChain whose first task waits for the file `go` in `dir`, and whose second writes `after` there. */
const PACK = {
  'pack.yaml': 'ref: cli_pause\nname: cli_pause\ndescription: d\nversion: 0.1.0\nauthor: a\nemail: a@example.com\n',
  'actions/gated.yaml': 'name: gated\nrunner_type: action-chain\nentry_point: chains/gated.yaml\nparameters:\n  dir:\n    type: string\n    required: true\n',
  'actions/chains/gated.yaml': [
    'chain:',
    '  - name: gate',
    '    ref: core.local',
    '    parameters:',
    '      cmd: "while [ ! -e {{ dir }}/go ]; do sleep 0.1; done"',
    '      timeout: 120',
    '    on-success: after',
    '  - name: after',
    '    ref: core.local',
    '    parameters:',
    '      cmd: "touch {{ dir }}/after"',
    '',
  ].join('\n'),
};

// `tempest execution pause|resume` on the compiled gateway and worker, with an ActionChain.
describe(executionCommand.name, () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-cli-pause-'));
  let platform: TestPlatform;

  beforeAll(async () => {
    cpSync(join(findRepoRoot(), 'packs/core'), join(root, 'packs/core'), { recursive: true });
    for (const [file, text] of Object.entries(PACK)) {
      mkdirSync(dirname(join(root, 'packs/cli_pause', file)), { recursive: true });
      writeFileSync(join(root, 'packs/cli_pause', file), text);
    }
    platform = await startTestPlatform({ root });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const tempest = (...argv: string[]) => tempestAgainst(platform.base, platform.keys.admin)(...argv);
  const get = async (id: string) => (await platform.api<Json>(`/executions/${id}`)).body;
  const tasks = async (id: string) => (await platform.api<Json[]>(`/executions/${id}/children`)).body.map((c) => [c.context.task, c.status]);

  it('pauses an ActionChain between tasks and resumes it, as StackStorm\'s st2 execution pause|resume', async () => {
    const dir = mkdtempSync(join(root, 'run-'));
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'cli_pause.gated', parameters: { dir } }) });
    const id = started.body.id as string;
    await eventually(async () => (await tasks(id)).some(([task, status]) => task === 'gate' && status === 'running'), 'the gate running', 30_000);

    expect(await tempest('execution', 'pause', id)).toEqual({ code: 0, out: `execution ${id}: pausing`, err: '' });
    writeFileSync(join(dir, 'go'), '');
    await eventually(async () => (await get(id)).status === 'paused', 'the chain paused', 30_000);
    expect(await tasks(id)).toEqual([['gate', 'succeeded']]);
    expect(await tempest('execution', 'pause', id)).toEqual({ code: 0, out: `execution ${id}: paused`, err: '' });

    expect(await tempest('execution', 'resume', id)).toEqual({ code: 0, out: `execution ${id}: resuming`, err: '' });
    await platform.temporal.workflow.getHandle(id).result();
    expect((await get(id)).status_history.map((s: Json) => s.status)).toEqual(['requested', 'scheduled', 'running', 'pausing', 'paused', 'resuming', 'running', 'succeeded']);
    expect(await tasks(id)).toEqual([['gate', 'succeeded'], ['after', 'succeeded']]);
    expect(existsSync(join(dir, 'after'))).toBe(true);

    expect(await tempest('execution', 'resume', id)).toEqual({ code: 1, out: '', err: 'tempest: Execution is already in completed state.' });
    expect(await tempest('execution', 'pause')).toMatchObject({ code: 2, err: 'tempest: tempest execution pause <id>' });
  });

  it('tails an execution live from the event stream: output as it is written, then the exit code of its end', async () => {
    const dir = mkdtempSync(join(root, 'tail-'));
    const cmd = `echo before; echo warning >&2; while [ ! -e ${dir}/go ]; do sleep 0.1; done; echo after; exit 3`;
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'core.local', parameters: { cmd, timeout: 120 } }) });
    const id = started.body.id as string;
    const out: string[] = [];
    const err: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((text) => out.push(String(text)) > 0);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((text) => err.push(String(text)) > 0);
    const outputReads = jest.spyOn(TempestClient.prototype, 'getOutput');
    try {
      const tail = tempest('execution', 'tail', id);
      // Printed while the action still waits: live, not at the end.
      await eventually(() => out.join('') === 'before\n' && err.join('') === 'warning\n', 'the output so far', 30_000);
      expect((await get(id)).status).toBe('running');
      writeFileSync(join(dir, 'go'), '');
      expect(await tail).toEqual({ code: 1, out: '', err: '' });
      expect(out.join('')).toBe('before\nafter\n');
      expect(err.join('')).toBe('warning\n');
      // What came live came on the stream: output was read only to catch up, never waited on.
      expect(outputReads.mock.calls.map(([, , wait]) => wait)).toEqual(outputReads.mock.calls.map(() => undefined));
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      outputReads.mockRestore();
    }
    // An ended execution: its whole output, at once.
    const again: string[] = [];
    const replay = jest.spyOn(process.stdout, 'write').mockImplementation((text) => again.push(String(text)) > 0);
    try {
      expect(await tempest('execution', 'tail', id)).toEqual({ code: 1, out: '', err: '' });
    } finally {
      replay.mockRestore();
    }
    expect(again.join('')).toBe('before\nafter\n');
  });
});
