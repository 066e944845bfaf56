import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
// The light entry points: the launcher stays up to supervise, so it must not hold
// the gRPC client, pg, kysely or the pack loader that only start-up needs.
import { postmasterReady, prepareEmbeddedPostgres } from '@tempest/db/embedded-postgres';
import { devServerAnswers, devServerArgs, provisionTemporalCli } from '@tempest/temporal/dev-server';
import { LaunchError, say } from './console';
import type { DataDirLock } from './lock';
import type { Supervisor } from './supervisor';
import { waitUntilReady } from './wait';

export interface Platform {
  repoRoot: string;
  dataDir: string;
  supervisor: Supervisor;
  lock: DataDirLock;
  env: NodeJS.ProcessEnv;
}

export interface TemporalOptions {
  port: number;
  uiPort: number;
  namespace: string;
  headless: boolean;
  /** Start from an empty history (tests); otherwise the SQLite file is kept. */
  fresh: boolean;
}

/** Provisions the Temporal CLI and runs its dev server on a SQLite file under the data folder. */
export async function startTemporalDevServer(platform: Platform, options: TemporalOptions): Promise<string> {
  const cli = await provisionTemporalCli(platform.repoRoot, platform.env);
  const dbFile = join(platform.dataDir, 'temporal.sqlite');
  // With its WAL journal and shared-memory index: a stale journal must not meet a new file.
  if (options.fresh) for (const file of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(file, { force: true });
  say(`starting Temporal dev server on 127.0.0.1:${options.port}${options.headless ? '' : ` (Web UI on :${options.uiPort})`}...`);
  const child = platform.supervisor.start({
    name: 'temporal',
    command: cli,
    args: devServerArgs({ dbFile, port: options.port, uiPort: options.uiPort, namespace: options.namespace, headless: options.headless }),
  });
  platform.lock.recordChild('temporal', child.pid!, cli);
  const address = `127.0.0.1:${options.port}`;
  await waitUntilReady(
    'the Temporal dev server',
    () => devServerAnswers(cli, address, options.namespace),
    { timeoutMs: 120_000, exited: platform.supervisor.exited('temporal'), logFile: platform.supervisor.logFile('temporal') },
  );
  return address;
}

/** Runs the embedded Postgres (initialised on first use) and returns the server's admin URL maker. */
export async function startEmbeddedPostgres(platform: Platform, port: number) {
  const { server, init, location } = await prepareEmbeddedPostgres({ dataDir: platform.dataDir, port });
  if (init) {
    say('initialising the embedded Postgres cluster (first start only)...');
    if (location !== join(platform.dataDir, 'postgres')) say(`(in ${location}, linked from ${join(platform.dataDir, 'postgres')}: the postgres user cannot enter the data folder)`);
    platform.supervisor.start({ name: 'postgres-init', command: init.command, args: init.args, uid: init.uid, gid: init.gid, env: init.env, oneShot: true });
    const code = await platform.supervisor.exited('postgres-init');
    if (code !== 0) throw new LaunchError(`initialising Postgres failed (exit ${code}); see ${platform.supervisor.logFile('postgres-init')}`);
    await init.initialised();
  }
  say(`starting embedded Postgres on 127.0.0.1:${port}...`);
  const child = platform.supervisor.start({ name: 'postgres', command: server.command, args: server.args, uid: server.uid, gid: server.gid, stopSignal: 'SIGINT' });
  platform.lock.recordChild('postgres', child.pid!, server.command);
  await waitUntilReady(
    'the embedded Postgres',
    async () => {
      if (!postmasterReady(location, child.pid!)) throw new Error('not accepting connections yet');
    },
    { timeoutMs: 60_000, exited: platform.supervisor.exited('postgres'), logFile: platform.supervisor.logFile('postgres') },
  );
  return server;
}

/**
 * Runs one of the launcher's start-up steps (`<name>.js` beside this file) in a
 * Node process of its own, its output on our terminal: what it loads is freed
 * when it exits, instead of staying in the launcher for the platform's life.
 */
export async function runStep(name: string, args: string[], env: NodeJS.ProcessEnv, what: string): Promise<void> {
  const child = spawn(process.execPath, [join(__dirname, `${name}.js`), ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | string | null>((resolve) => {
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? signal));
    child.once('error', (error) => resolve(error.message));
  });
  if (code !== 0) throw new LaunchError(`${what} failed (${code}); see the lines above`);
}
