import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { createDatabase, ensureDatabase, migrateToLatest, prepareEmbeddedPostgres, type EmbeddedPostgresServer } from '@tempest/db';

/** A command to run as a server: Temporal's, or Postgres's (possibly as the postgres user). */
type ServerCommand = Pick<EmbeddedPostgresServer, 'command' | 'args' | 'uid' | 'gid' | 'env'>;
import { registerPacks } from '@tempest/packs';
import { devServerArgs, provisionTemporalCli } from '@tempest/temporal';
import { eventually, freePort } from '@tempest/testing';
import { BenchSetupError } from '../benchmark';
import { ChaosProcess, type Incarnation } from './chaos-process';
import { descendants } from './process-tree';
import { launchService, SERVICES, signalAll, type ServiceName } from './service-process';

export { SERVICES };
export const SERVERS = ['temporal', 'postgres'] as const;
export type ProcessName = (typeof SERVICES)[number] | (typeof SERVERS)[number];

const READY_MS = 90_000;
const NAMESPACE = 'default';

/**
 * Tempest as `npm start` runs it, but all of it on free ports under a folder
 * of its own: the Temporal dev server (SQLite file) and an embedded Postgres,
 * then the compiled gateway, worker and sensor container from dist/. Every
 * process can be `kill -9`ed and restarted on the same data.
 */
export class ChaosPlatform {
  readonly processes = new Map<ProcessName, ChaosProcess>();
  readonly adminKey = `tpst_${randomBytes(16).toString('hex')}`;
  private epoch = performance.now();
  private readonly logDir: string;
  /** Each service's output, one array per incarnation. */
  private readonly serviceLines = new Map<string, string[][]>();
  private temporalClient?: TemporalClient;
  databaseUrl = '';
  temporalAddress = '';
  gatewayUrl = '';

  constructor(
    private readonly repoRoot: string,
    private readonly dataDir: string,
    private readonly packsDir: string,
  ) {
    this.logDir = join(dataDir, 'logs');
    mkdirSync(this.logDir, { recursive: true });
  }

  /** Seconds since the platform began starting, or since `resetClock`. */
  readonly clock = () => (performance.now() - this.epoch) / 1000;

  resetClock(): void {
    this.epoch = performance.now();
    this.wallEpoch = Date.now() / 1000;
  }

  /** Epoch seconds at the last `resetClock`. */
  wallEpoch = Date.now() / 1000;

  process(name: ProcessName): ChaosProcess {
    const found = this.processes.get(name);
    if (!found) throw new Error(`no process ${name}`);
    return found;
  }

  async start(): Promise<void> {
    for (const dist of SERVICES.map((name) => join(this.repoRoot, 'dist/apps', name, 'src/main.js'))) {
      try {
        readFileSync(dist);
      } catch {
        throw new BenchSetupError(`no ${dist}: run \`npx nx run-many -t build -p gateway,worker,sensors\` first (nx run bench:chaos does)`);
      }
    }
    await this.startTemporal();
    await this.startPostgres();
    const db = createDatabase(this.databaseUrl, { maxConnections: 1, applicationName: 'tempest-chaos' });
    try {
      await migrateToLatest(db);
      const registered = await registerPacks(db, this.packsDir, join(this.dataDir, 'configs'));
      if (registered.problems.length > 0) throw new BenchSetupError(`the chaos pack did not register: ${registered.problems.join('; ')}`);
    } finally {
      await db.destroy();
    }
    this.gatewayUrl = `http://127.0.0.1:${await freePort()}`;
    const env = {
      HOME: process.env.HOME,
      DATABASE_URL: this.databaseUrl,
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPEST_PACKS_DIR: this.packsDir,
      TEMPEST_CONFIGS_DIR: join(this.dataDir, 'configs'),
      TEMPEST_GATEWAY_PORT: new URL(this.gatewayUrl).port,
      TEMPEST_PUBLIC_URL: this.gatewayUrl,
      TEMPEST_ADMIN_API_KEY: this.adminKey,
      TEMPEST_DATASTORE_KEY: randomBytes(32).toString('hex'),
      TEMPEST_LOG_LEVEL: 'info',
    };
    for (const name of SERVICES) {
      const entry = join(this.repoRoot, 'dist/apps', name, 'src/main.js');
      await this.add(name, () => this.service(name, entry, env));
    }
  }

  /** A Temporal client on the platform's server (reconnects after a restart). */
  async temporal(): Promise<TemporalClient> {
    this.temporalClient ??= new TemporalClient({ connection: await Connection.connect({ address: this.temporalAddress }), namespace: NAMESPACE });
    return this.temporalClient;
  }

  /** Services first, then the servers they use; each process's output kept in `<dataDir>/logs`. */
  async stop(): Promise<void> {
    await this.temporalClient?.connection.close().catch(() => undefined);
    for (const name of [...this.processes.keys()].reverse()) {
      await this.processes.get(name)!.stop(name === 'postgres' ? 'SIGINT' : 'SIGTERM');
    }
    for (const [name, runs] of this.serviceLines) writeFileSync(join(this.logDir, `${name}.log`), runs.map((lines) => lines.join('\n') + '\n').join('--- restarted ---\n'));
  }

  get logs(): string {
    return this.logDir;
  }

  private async add(name: ProcessName, launch: () => Incarnation): Promise<void> {
    const process = new ChaosProcess(name, launch, this.clock);
    this.processes.set(name, process);
    await process.start();
  }

  private async startTemporal(): Promise<void> {
    const cli = await provisionTemporalCli(this.repoRoot, process.env);
    const port = await freePort();
    this.temporalAddress = `127.0.0.1:${port}`;
    const args = devServerArgs({ dbFile: join(this.dataDir, 'temporal.sqlite'), port, uiPort: 0, namespace: NAMESPACE, headless: true });
    const probe = async () => {
      const connection = await Connection.connect({ address: this.temporalAddress, connectTimeout: '1s' });
      try {
        await new TemporalClient({ connection, namespace: NAMESPACE }).workflowService.describeNamespace({ namespace: NAMESPACE });
        return true;
      } finally {
        await connection.close();
      }
    };
    await this.add('temporal', () => this.server('temporal', { command: cli, args }, probe));
  }

  private async startPostgres(): Promise<void> {
    // Postgres runs as the postgres user when we are root: letting it enter the folder keeps the cluster in it.
    chmodSync(this.dataDir, 0o755);
    const { server, init } = await prepareEmbeddedPostgres({ dataDir: this.dataDir, port: await freePort() });
    if (init) {
      const initialising = this.server('postgres-init', init, async () => true);
      const code = await initialising.exited;
      if (code !== 0) throw new BenchSetupError(`initialising Postgres failed (exit ${code}); see ${join(this.logDir, 'postgres-init.log')}`);
      await init.initialised();
    }
    const probe = async () => {
      const client = new PgClient({ connectionString: server.url('postgres'), connectionTimeoutMillis: 1_000 });
      await client.connect();
      await client.end();
      return true;
    };
    await this.add('postgres', () => this.server('postgres', server, probe));
    await ensureDatabase(server.url('postgres'), 'tempest');
    this.databaseUrl = server.url('tempest');
  }

  /** A compiled service, as `node dist/apps/<name>/src/main.js`; ready when it prints its ready line. */
  private service(name: ServiceName, entry: string, env: NodeJS.ProcessEnv): Incarnation {
    const { incarnation, lines } = launchService(name, entry, env);
    this.serviceLines.set(name, [...(this.serviceLines.get(name) ?? []), lines]);
    return incarnation;
  }

  /** A server in a process group of its own (Postgres has children), output appended to its log. */
  private server(name: string, run: ServerCommand, probe: () => Promise<boolean>): Incarnation {
    const logFile = join(this.logDir, `${name}.log`);
    const fd = openSync(logFile, 'a');
    const ids = run.uid === undefined ? {} : { uid: run.uid, gid: run.gid };
    const child = spawn(run.command, run.args, { stdio: ['ignore', fd, fd], detached: true, env: run.env ?? process.env, ...ids });
    closeSync(fd);
    const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
    let gone = false;
    void exited.then(() => (gone = true));
    return {
      pid: child.pid!,
      exited,
      ready: () =>
        eventually(
          async () => {
            if (gone) throw new BenchSetupError(`${name} exited while starting; see ${logFile}`);
            return probe().catch(() => false);
          },
          `${name} to answer`,
          READY_MS,
        ).then(() => undefined),
      tail: () => readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-25),
      kill: (signal, tree) => signalAll([-child.pid!, ...(tree ? descendants(child.pid!) : [])], signal),
    };
  }
}
