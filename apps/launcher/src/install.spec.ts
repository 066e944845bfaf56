import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';

// `npm start` on a fresh clone installs from package-lock.json and must leave it as committed.

const installArgs = JSON.parse(
  spawnSync(process.execPath, ['--input-type=module', '-e', `import { INSTALL_ARGS } from ${JSON.stringify(join(findRepoRoot(), 'apps/launcher/bin/install-args.mjs'))}; console.log(JSON.stringify(INSTALL_ARGS))`], { encoding: 'utf8' }).stdout,
) as string[];

describe('the install step of npm start', () => {
  const project = mkdtempSync(join(tmpdir(), 'tempest-install-'));
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  // A lock as another npm version may have written it: same content, other layout.
  const lock = JSON.stringify({ name: 'clone', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'clone', version: '1.0.0' } } }, null, 4);
  const install = (args: string[]) => {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'clone', version: '1.0.0', private: true }));
    writeFileSync(join(project, 'package-lock.json'), lock);
    const result = spawnSync('npm', args, { cwd: project, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
    expect(result.status).toBe(0);
    return readFileSync(join(project, 'package-lock.json'), 'utf8');
  };

  it('leaves package-lock.json untouched where a plain npm install rewrites it', () => {
    expect(install(['install', '--no-audit', '--no-fund'])).not.toBe(lock);
    expect(install(installArgs)).toBe(lock);
  }, 60_000);
});
