import { cpSync, mkdtempSync, rmSync } from 'node:fs';
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

// StackStorm's own `st2 execution tail` (st2client from PyPI) against the compiled gateway and worker: it follows the event stream.
describe('st2 execution tail', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-st2-tail-'));
  let platform: TestPlatform;
  let client: St2Client;

  beforeAll(async () => {
    cpSync(join(findRepoRoot(), 'packs', 'core'), join(root, 'packs', 'core'), { recursive: true });
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
});
