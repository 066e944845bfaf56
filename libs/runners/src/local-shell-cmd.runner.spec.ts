import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localShellCmd } from './local-shell-cmd.runner';
import { runnerContext } from './runner-context.testing';

describe('localShellCmd', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'tempest-home-'));
    writeFileSync(join(home, '.bashrc'), 'echo "bashrc ran" >&2\n');
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  // Bash runs ~/.bashrc when its stdin is a socket (as rshd left it), and Node's pipes are sockets:
  // the worker's user's shell setup must not run before, or print into, every command.
  it("does not run the user's ~/.bashrc", async () => {
    const { status, result } = await localShellCmd(runnerContext({ cmd: 'echo hi', env: { HOME: home } }));
    expect(status).toBe('succeeded');
    expect(result).toMatchObject({ stdout: 'hi', stderr: '' });
  });
});
