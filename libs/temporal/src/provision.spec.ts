import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';

// temporal/provision.sh, run for real with a controlled PATH and cache folder.
const repoRoot = findRepoRoot();
const script = join(repoRoot, 'temporal/provision.sh');
const version = readFileSync(join(repoRoot, 'temporal/cli-version'), 'utf8').trim();

function provision(env: Record<string, string>) {
  const result = spawnSync('bash', [script], { env: { HOME: tmpdir(), PATH: '/usr/bin:/bin', ...env }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

function fakeBinary(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'temporal');
  writeFileSync(file, '#!/bin/sh\necho fake\n');
  chmodSync(file, 0o755);
  return file;
}

describe('temporal/provision.sh', () => {
  const emptyCache = () => mkdtempSync(join(tmpdir(), 'tempest-cache-'));

  it('uses TEMPORAL_CLI when it names an executable', () => {
    const binary = fakeBinary(mkdtempSync(join(tmpdir(), 'tempest-cli-')));
    expect(provision({ TEMPORAL_CLI: binary })).toEqual({ code: 0, stdout: binary, stderr: '' });
  });

  it('names TEMPORAL_CLI when it does not', () => {
    const result = provision({ TEMPORAL_CLI: '/nonexistent/temporal' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('tempest: TEMPORAL_CLI=/nonexistent/temporal is not an executable file; point it at a temporal binary or unset it');
  });

  it('prefers a temporal on PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-path-'));
    const binary = fakeBinary(dir);
    expect(provision({ PATH: `${dir}:/usr/bin:/bin`, TEMPEST_CACHE_DIR: emptyCache() }).stdout).toBe(binary);
  });

  it('reuses the pinned build in the cache folder', () => {
    const cache = emptyCache();
    const binary = fakeBinary(join(cache, 'temporal-cli', version));
    expect(provision({ TEMPEST_CACHE_DIR: cache })).toEqual({ code: 0, stdout: binary, stderr: '' });
  });

  it('says what to install when there is no CLI and no Go to build it', () => {
    const result = provision({ TEMPEST_CACHE_DIR: emptyCache() });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^tempest: the Temporal CLI was not found\. Install it .* set TEMPORAL_CLI=\/path\/to\/temporal or put it on PATH, or install Go/);
    expect(result.stderr).toContain(`github.com/temporalio/cli/cmd/temporal@${version}`);
  });
});
