import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TempestConfig } from '@tempest/config';
import { say, warn } from './console';
import { DataDirLock } from './lock';
import { startEmbeddedPostgres, startTemporalDevServer, type Platform } from './platform';
import { assertPortsFree } from './ports';
import { provisionSshd } from './sshd';
import { Supervisor } from './supervisor';

/** Ports of the test platform: apart from `npm start`'s, so both can run at once. */
export const TEST_PORTS = { postgres: 15433, temporal: 17233 } as const;

/**
 * `npm test`: its own Temporal and Postgres under .data/test on their own
 * ports, then every project's tests through Nx. Test suites find the servers
 * through TEST_POSTGRES_URL and TEST_TEMPORAL_ADDRESS.
 */
export async function test(repoRoot: string, config: TempestConfig, nxArgs: string[]): Promise<number> {
  const dataDir = join(repoRoot, '.data', 'test');
  mkdirSync(dataDir, { recursive: true });
  const lock = await DataDirLock.acquire(join(dataDir, 'tempest.lock'), 'npm test');
  const supervisor = new Supervisor(join(dataDir, 'logs'), {
    onGaveUp: (name, reason) => warn(`test ${name} server ${reason}; see ${supervisor.logFile(name)}`),
  });
  try {
    await assertPortsFree([
      { port: TEST_PORTS.temporal, what: 'the test Temporal server', variable: '(fixed for tests; stop the other npm test)' },
      { port: TEST_PORTS.postgres, what: 'the test Postgres', variable: '(fixed for tests; stop the other npm test)' },
    ]);
    const platform: Platform = { repoRoot, dataDir, supervisor, lock, env: process.env };
    // The SSH runners are tested against a real sshd, started by the suites that need it.
    const sshd = await provisionSshd(process.env);
    const temporalAddress = await startTemporalDevServer(platform, {
      port: TEST_PORTS.temporal,
      uiPort: TEST_PORTS.temporal + 1000,
      namespace: config.temporal.namespace,
      headless: true,
      fresh: true,
    });
    const postgres = await startEmbeddedPostgres(platform, TEST_PORTS.postgres);
    const results = join(dataDir, 'results');
    rmSync(results, { recursive: true, force: true });
    mkdirSync(results, { recursive: true });
    say('running every project\'s tests...');
    const env = {
      ...process.env,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      TEST_POSTGRES_URL: postgres.url('postgres'),
      TEST_TEMPORAL_ADDRESS: temporalAddress,
      TEST_SSHD: sshd,
    };
    // Ctrl-C reaches Nx directly (same terminal); we only need to outlive it to clean up.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    process.on('SIGTERM', ignore);
    const code = await new Promise<number>((resolve) => {
      const nx = spawn(join(repoRoot, 'node_modules/.bin/nx'), ['run-many', '-t', 'test', '--parallel=2', '--output-style=stream', ...nxArgs], {
        cwd: repoRoot,
        env,
        stdio: 'inherit',
      });
      nx.once('exit', (code, sig) => {
        process.removeListener('SIGINT', ignore);
        process.removeListener('SIGTERM', ignore);
        resolve(code ?? (sig ? 1 : 0));
      });
    });
    const totals = sumResults(results);
    say(`${totals.suites} test suites in ${totals.projects} projects`);
    // Jest can fail without writing its results (it cannot serialise some errors): never let that read as green.
    if (code !== 0 && totals.failed === 0) {
      say('a project\'s tests failed without writing their results (see the output above); counted as 1 failed');
      totals.failed = 1;
    }
    process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`);
    return code !== 0 || totals.failed > 0 || totals.passed === 0 ? code || 1 : 0;
  } finally {
    await supervisor.stopAll();
    lock.release();
  }
}

/** Adds up the jest results each project wrote (see the test target in nx.json). */
function sumResults(dir: string) {
  const totals = { projects: 0, suites: 0, passed: 0, failed: 0 };
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return totals;
  }
  for (const file of files) {
    const result = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { numTotalTestSuites: number; numPassedTests: number; numFailedTests: number };
    totals.projects += 1;
    totals.suites += result.numTotalTestSuites;
    totals.passed += result.numPassedTests;
    totals.failed += result.numFailedTests;
  }
  return totals;
}
