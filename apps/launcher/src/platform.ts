import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { ensureDatabase, prepareEmbeddedPostgres } from '@tempest/db';
import { devServerArgs, provisionTemporalCli } from '@tempest/temporal';
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
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      try {
        await new Client({ connection, namespace: options.namespace }).workflowService.describeNamespace({ namespace: options.namespace });
      } finally {
        await connection.close();
      }
    },
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
      const client = new PgClient({ connectionString: server.url('postgres'), connectionTimeoutMillis: 1_000 });
      await client.connect();
      await client.end();
    },
    { timeoutMs: 60_000, exited: platform.supervisor.exited('postgres'), logFile: platform.supervisor.logFile('postgres') },
  );
  return server;
}

export { ensureDatabase };
