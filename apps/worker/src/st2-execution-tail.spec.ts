import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { eventually, st2client, startTestPlatform, type St2Client, type TestPlatform } from '@tempest/testing';

/**
 * `st2 execution tail` run in-process, its standard output a writer that
 * creates the file `go` once it has printed "tick": the action, which ticks
 * until that file exists, can end only if tail printed its output live.
 */
const tailScript = (id: string, go: string) => `
import os, sys
from st2client.shell import Shell
class Live:
    seen = ''
    def write(self, text):
        self.seen += text
        sys.__stdout__.write(text)
        if 'tick' in self.seen and not os.path.exists(${JSON.stringify(go)}):
            open(${JSON.stringify(go)}, 'w').close()
    def flush(self):
        sys.__stdout__.flush()
sys.stdout = Live()
sys.exit(Shell().run(['execution', 'tail', ${JSON.stringify(id)}]))
`;

/** An Orquesta workflow whose first task runs the command given, and an ActionChain: two tasks each. */
function writeWorkflowPack(dir: string): void {
  mkdirSync(join(dir, 'actions', 'workflows'), { recursive: true });
  writeFileSync(join(dir, 'pack.yaml'), 'name: tailflow\nref: tailflow\ndescription: workflows to tail\nversion: 1.0.0\nauthor: tempest\n');
  writeFileSync(join(dir, 'actions', 'waiting.yaml'), 'name: waiting\nrunner_type: orquesta\nentry_point: workflows/waiting.yaml\nenabled: true\nparameters:\n  cmd:\n    type: string\n    required: true\n');
  writeFileSync(
    join(dir, 'actions', 'workflows', 'waiting.yaml'),
    ['version: 1.0', 'input:', '  - cmd', 'tasks:', '  wait:', '    action: core.local', '    input:', '      cmd: <% ctx(cmd) %>', '      timeout: 60', '    next:', '      - when: <% succeeded() %>', '        do: second', '  second:', '    action: core.local cmd="echo second"', ''].join('\n'),
  );
  writeFileSync(join(dir, 'actions', 'pair.yaml'), 'name: pair\nrunner_type: action-chain\nentry_point: workflows/pair.yaml\nenabled: true\n');
  writeFileSync(
    join(dir, 'actions', 'workflows', 'pair.yaml'),
    ['chain:', '  - name: first', '    ref: core.local', '    parameters:', '      cmd: echo first', '    on-success: last', '  - name: last', '    ref: core.local', '    parameters:', '      cmd: echo last', ''].join('\n'),
  );
}

// StackStorm's own `st2 execution tail` (st2client from PyPI) against the compiled gateway and worker: it follows the event stream.
describe('st2 execution tail', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-st2-tail-'));
  let platform: TestPlatform;
  let client: St2Client;

  beforeAll(async () => {
    cpSync(join(findRepoRoot(), 'packs', 'core'), join(root, 'packs', 'core'), { recursive: true });
    writeWorkflowPack(join(root, 'packs', 'tailflow'));
    platform = await startTestPlatform({ root });
    client = await st2client(platform.base, platform.keys.admin);
  }, 600_000);
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("follows a running action's output live until it ends", async () => {
    const dir = mkdtempSync(join(root, 'tail-'));
    // Like StackStorm's, tail shows what is written after it starts listening: the action ticks until then.
    const cmd = `while [ ! -e ${dir}/go ]; do echo tick; sleep 0.2; done; echo after`;
    const started = await platform.api<{ id: string }>('/executions', { method: 'POST', body: JSON.stringify({ action: 'core.local', parameters: { cmd, timeout: 60 } }) });
    const id = started.body.id;
    await eventually(async () => (await platform.api<{ status: string }>(`/executions/${id}`)).body.status === 'running', 'the action running', 30_000);
    const tail = await client.python(tailScript(id, join(dir, 'go')));
    expect(tail).toMatchObject({ code: 0, stderr: '' });
    expect(tail.stdout).toMatch(new RegExp(`^(tick\n)+after\n\nExecution ${id} has completed \\(status=succeeded\\)\\.\n$`));
  }, 90_000);

  it("names a workflow's tasks as it follows them, and st2 execution get shows them in its task table", async () => {
    const dir = mkdtempSync(join(root, 'tail-'));
    const cmd = `while [ ! -e ${dir}/go ]; do echo tick; sleep 0.2; done; echo waited`;
    const started = await platform.api<{ id: string }>('/executions', { method: 'POST', body: JSON.stringify({ action: 'tailflow.waiting', parameters: { cmd } }) });
    const id = started.body.id;
    const children = async () => (await platform.api<{ id: string; status: string }[]>(`/executions/${id}/children`)).body;
    await eventually(async () => (await children()).some((c) => c.status === 'running') || undefined, 'the workflow\'s first task running', 30_000);
    const tail = await client.python(tailScript(id, join(dir, 'go')));
    expect(tail).toMatchObject({ code: 0, stderr: '' });
    const [wait, second] = await children();
    expect(tail.stdout).toContain(`Child execution (task=wait) ${wait.id} has finished (status=succeeded).`);
    expect(tail.stdout).toContain(`Child execution (task=second) ${second.id} has started.`);
    expect(tail.stdout).toContain(`Child execution (task=second) ${second.id} has finished (status=succeeded).`);
    expect(tail.stdout).toContain(`Execution ${id} has completed (status=succeeded).`);
    expect(tail.stdout).not.toContain('task=unknown');

    const shown = await client.st2(['execution', 'get', id]);
    expect(shown).toMatchObject({ code: 0 });
    expect(shown.stdout).toMatch(new RegExp(`\\|\\s*\\+?\\s*${wait.id}\\s*\\|\\s*succeeded[^|]*\\|\\s*wait\\s*\\|\\s*core\\.local\\s*\\|`));
    expect(shown.stdout).toMatch(new RegExp(`\\|\\s*\\+?\\s*${second.id}\\s*\\|\\s*succeeded[^|]*\\|\\s*second\\s*\\|\\s*core\\.local\\s*\\|`));
  }, 90_000);

  it("st2 execution get of an ActionChain shows its tasks by name", async () => {
    const chain = await platform.run('tailflow.pair');
    const shown = await client.st2(['execution', 'get', chain.id]);
    expect(shown).toMatchObject({ code: 0 });
    expect(shown.stdout).toMatch(/\|\s*succeeded[^|]*\|\s*first\s*\|\s*core\.local\s*\|/);
    expect(shown.stdout).toMatch(/\|\s*succeeded[^|]*\|\s*last\s*\|\s*core\.local\s*\|/);
  }, 90_000);
});
