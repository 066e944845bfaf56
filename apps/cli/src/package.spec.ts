import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';

/** The CLI installs globally and runs away from the clone, as an operator's laptop would have it. */
describe('tempest CLI package', () => {
  const repoRoot = findRepoRoot();
  const work = mkdtempSync(join(tmpdir(), 'tempest-cli-package-'));
  let bin: string;

  beforeAll(() => {
    execFileSync(process.execPath, [join(repoRoot, 'apps/cli/scripts/package-cli.mjs')], { cwd: repoRoot, stdio: 'pipe' });
    execFileSync('npm', ['pack', '--silent', '--pack-destination', work, join(repoRoot, 'dist/apps/cli/package')], { stdio: 'pipe' });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    const prefix = join(work, 'global');
    execFileSync('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(work, tarball)], { stdio: 'pipe' });
    bin = join(prefix, 'bin', 'tempest');
  }, 120_000);

  it('runs from outside any clone and talks to the gateway it is pointed at', async () => {
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(request.url?.startsWith('/api/v1/actions') && request.headers['x-api-key'] === 'tpst_laptop' ? '[]' : '{"message":"unexpected"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      // spawnSync would block the server's event loop; run the CLI asynchronously.
      const run = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const child = spawn(bin, ['action', 'list', '--json'], {
          cwd: tmpdir(),
          env: { PATH: process.env.PATH, HOME: work, TEMPEST_API_URL: `http://127.0.0.1:${port}`, TEMPEST_API_KEY: 'tpst_laptop' },
        });
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d));
        child.on('close', (status: number | null) => resolve({ status, stdout }));
      });
      expect(run).toEqual({ status: 0, stdout: '[]\n' });
    } finally {
      server.close();
    }
  });

  it('prints its usage', () => {
    const help = spawnSync(bin, ['--help'], { cwd: tmpdir(), encoding: 'utf8', env: { PATH: process.env.PATH, HOME: work } });
    expect(help.stdout).toContain('usage: tempest <command>');
  });
});
