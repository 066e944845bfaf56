import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonScript } from './python-script.runner';
import { runnerContext } from './runner-context.testing';

// A StackStorm Python action of a pack with a requirements.txt: real python3, venv and pip (PyPI).
describe('python-script runner with a pack requirements.txt', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-python-deps-'));
  const packsDir = join(root, 'packs');

  beforeAll(() => {
    mkdirSync(join(packsDir, 'deps', 'actions'), { recursive: true });
    writeFileSync(join(packsDir, 'deps', 'requirements.txt'), 'six==1.16.0\n');
    writeFileSync(
      join(packsDir, 'deps', 'actions', 'use_six.py'),
      ['import sys', 'import six', 'from st2common.runners.base_action import Action', '', 'class UseSix(Action):', '    def run(self):', '        return {"six": six.__version__, "venv": sys.prefix != sys.base_prefix}', ''].join('\n'),
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs the action in the pack\'s own virtualenv, where its requirements are installed', async () => {
    const outcome = await pythonScript({ ...runnerContext({}), pack: 'deps', packsDir, entryPoint: 'use_six.py' });
    expect(outcome).toMatchObject({ status: 'succeeded', result: { result: { six: '1.16.0', venv: true } } });
  }, 180_000);
});
