import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeVirtualenv, VirtualenvError } from './virtualenv';

// Real python3 -m venv and pip, from PyPI: `six` is one small pure-Python module.
describe(makeVirtualenv.name, () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tempest-virtualenv-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("makes the virtualenv with pip's packages installed, renamed into place with nothing left beside it", async () => {
    const dir = join(root, 'venvs', 'withsix');
    expect(await makeVirtualenv(dir, ['six==1.16.0'])).toBe(dir);
    expect(execFileSync(join(dir, 'bin', 'python'), ['-c', 'import six; print(six.__version__)'], { encoding: 'utf8' })).toBe('1.16.0\n');
    expect(readdirSync(join(root, 'venvs'))).toEqual(['withsix']);
  }, 180_000);

  it('reuses a virtualenv that is present, not making it again', async () => {
    const dir = join(root, 'empty');
    await makeVirtualenv(dir, []);
    const made = statSync(join(dir, 'bin', 'python')).ctimeMs;
    const started = Date.now();
    expect(await makeVirtualenv(dir, [])).toBe(dir);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(statSync(join(dir, 'bin', 'python')).ctimeMs).toBe(made);
  }, 60_000);

  it('gives concurrent callers the one virtualenv', async () => {
    const dir = join(root, 'shared');
    const answers = await Promise.all([makeVirtualenv(dir, []), makeVirtualenv(dir, []), makeVirtualenv(dir, [])]);
    expect(answers).toEqual([dir, dir, dir]);
    expect(readdirSync(root)).toEqual(['shared']);
    expect(execFileSync(join(dir, 'bin', 'python'), ['-c', 'import sys; print(sys.prefix != sys.base_prefix)'], { encoding: 'utf8' })).toBe('True\n');
  }, 60_000);

  it("fails quoting pip's output when pip cannot install, leaving no virtualenv, half made or whole", async () => {
    const dir = join(root, 'broken');
    const failure = makeVirtualenv(dir, ['tempest-no-such-distribution-0d1e==9.9.9']);
    await expect(failure).rejects.toBeInstanceOf(VirtualenvError);
    await expect(failure).rejects.toMatchObject({ step: 'pip', message: expect.stringMatching(/^pip install failed: .*No matching distribution found for tempest-no-such-distribution-0d1e==9\.9\.9/s) });
    expect(readdirSync(root)).toEqual([]);
  }, 180_000);

  it('fails naming python3 when it cannot make a virtualenv', async () => {
    const failure = makeVirtualenv(join(root, 'nopython'), [], { env: { PATH: join(root, 'nowhere') } });
    await expect(failure).rejects.toMatchObject({ step: 'venv', message: expect.stringMatching(/^python3 -m venv failed: .*python3/) });
    expect(readdirSync(root)).toEqual([]);
  });
});
