import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { findRepoRoot } from '@tempest/config';
import { ApiKeyRepository } from '@tempest/db';
import { sql } from 'kysely';
import { createTestDatabase, testServers, uniqueName, type TestDatabase } from './environment';
import { freePort } from './ports';
import { runProcess, type RunningProcess } from './process';

export interface TestPlatformOptions {
  /** A folder with `packs/` (registered at start) and, if the packs have configs, `configs/`. */
  root: string;
  /** Users to give an API key each (`keys[user]`); api() calls as the first unless told. */
  users?: string[];
  /** More configuration for the gateway and the worker, e.g. TEMPEST_SSH_KNOWN_HOSTS. */
  env?: Record<string, string>;
}

/** What tests read of an execution in the API. */
export interface TestExecution {
  id: string;
  status: string;
  parameters: Record<string, unknown>;
  result: { result: unknown; stdout?: string; stderr?: string; error?: string };
}

export interface TestPlatform {
  /** The gateway, `http://127.0.0.1:<port>`. */
  base: string;
  /** API keys by user, `admin` included. */
  keys: Record<string, string>;
  database: TestDatabase;
  /** A Temporal client on the platform's namespace. */
  temporal: Client;
  gateway: RunningProcess;
  worker: RunningProcess;
  /** The worker's environment, to start another worker on the same queue and database (a restart). */
  workerEnv: NodeJS.ProcessEnv;
  /** The gateway's, to start another on the same port, queue and database. */
  gatewayEnv: NodeJS.ProcessEnv;
  /** Every body api() was answered, to prove what never left the gateway. */
  responses: string[];
  /** Calls the API as `as` (default: the first user), or with `key` in `header` (default X-Api-Key). */
  api<T = unknown>(path: string, init?: RequestInit & { as?: string; key?: string; header?: string }): Promise<{ status: number; body: T }>;
  /** Runs the action through the API and answers its record once its workflow (so its audit row) is done. */
  run(action: string, parameters?: Record<string, unknown>, as?: string): Promise<TestExecution>;
  /** Every string and byte payload of the execution's workflow history, as text. */
  history(executionId: string): Promise<string>;
  /** The gateway's and the worker's log lines, as one text. */
  logs(): string;
  /** Every row of every table, as Postgres prints it, that contains `text`: `table: row`. */
  rowsContaining(text: string): Promise<string[]>;
  /** `tempest ...`, the CLI as a user runs it, with the key of `as` (default: the admin). */
  tempest(args: string[], as?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Tempest as deployed, on the test servers: the compiled gateway and worker
 * (build them first: `nx run gateway:build`, `nx run worker:build`) as processes
 * on a database and task queue of their own, with the root's packs registered.
 */
export async function startTestPlatform(options: TestPlatformOptions): Promise<TestPlatform> {
  const users = options.users ?? [];
  const keys: Record<string, string> = { admin: `tpst_${randomBytes(16).toString('hex')}` };
  for (const user of users) keys[user] = `tpst_${randomBytes(16).toString('hex')}`;
  const database = await createTestDatabase();
  for (const user of users) await new ApiKeyRepository(database.db).upsert({ name: user, keyHash: sha256(keys[user]), keyPrefix: keys[user].slice(0, 8), user });

  const base = `http://127.0.0.1:${await freePort()}`;
  const shared = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: testServers().temporalAddress,
    TEMPORAL_TASK_QUEUE: uniqueName('tempest-actions-test'),
    TEMPEST_PACKS_DIR: join(options.root, 'packs'),
    // What the worker keeps (packs' workflow bundles) stays with the test's folder.
    TEMPEST_DATA_DIR: join(options.root, '.data'),
    TEMPEST_CONFIGS_DIR: join(options.root, 'configs'),
    TEMPEST_LOG_LEVEL: 'debug',
    // The gateway seals secret parameters with it and the worker opens them, as under `npm start`.
    TEMPEST_DATASTORE_KEY: randomBytes(32).toString('hex'),
    ...options.env,
  };
  const dist = join(findRepoRoot(), 'dist/apps');
  const gatewayEnv = { ...shared, TEMPEST_GATEWAY_PORT: new URL(base).port, TEMPEST_ADMIN_API_KEY: keys.admin };
  const gateway = runProcess(join(dist, 'gateway/src/main.js'), gatewayEnv);
  const workerEnv = { ...shared, TEMPEST_PUBLIC_URL: base };
  const worker = runProcess(join(dist, 'worker/src/main.js'), workerEnv);
  const connection = await Connection.connect({ address: shared.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection });
  const responses: string[] = [];

  const platform: TestPlatform = {
    base,
    keys,
    database,
    temporal,
    gateway,
    worker,
    workerEnv,
    gatewayEnv,
    responses,
    async api<T>(path: string, init: RequestInit & { as?: string; key?: string; header?: string } = {}) {
      const key = init.key ?? keys[init.as ?? users[0] ?? 'admin'];
      // JSON asked for by name: some paths answer StackStorm's text to clients that name no type (GET …/output).
      const headers = { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), [init.header ?? 'X-Api-Key']: key };
      const response = await fetch(`${base}/api/v1${path}`, { ...init, headers });
      const text = await response.text();
      responses.push(text);
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async run(action, parameters = {}, as) {
      const created = await platform.api<TestExecution>('/executions', { method: 'POST', as, body: JSON.stringify({ action, parameters }) });
      if (created.status !== 201) throw new Error(`POST /executions ${action}: ${created.status} ${JSON.stringify(created.body)}`);
      await temporal.workflow.getHandle(created.body.id).result();
      return (await platform.api<TestExecution>(`/executions/${created.body.id}`, { as })).body;
    },
    async history(executionId) {
      return payloadText(await temporal.workflow.getHandle(executionId).fetchHistory());
    },
    logs: () => [...gateway.lines, ...worker.lines].join('\n'),
    tempest(args, as = 'admin') {
      // No settings file: XDG_CONFIG_HOME names a folder that has none.
      const env = { PATH: process.env.PATH, TEMPEST_API_URL: base, TEMPEST_API_KEY: keys[as], XDG_CONFIG_HOME: options.root };
      return new Promise((resolve) => {
        execFile(process.execPath, [join(findRepoRoot(), 'apps/cli/bin/tempest.js'), ...args], { env }, (error, stdout, stderr) => {
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
      });
    },
    async rowsContaining(text) {
      const { rows: tables } = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(database.db);
      const rows = await Promise.all(tables.map(async ({ name }) => (await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(database.db)).rows.map((r) => `${name}: ${r.row}`)));
      return rows.flat().filter((row) => row.includes(text));
    },
    async stop() {
      for (const process of [worker, gateway]) {
        process.child.kill('SIGTERM');
        await process.exited;
      }
      await connection.close();
      await database.drop();
    },
  };

  try {
    await Promise.all([gateway.printed(/"gateway listening"/), worker.printed(/"worker polling"/)]);
    const registered = await platform.api<{ problems: unknown[] }>('/packs/register', { method: 'POST', as: 'admin' });
    if (registered.status !== 200 || registered.body.problems.length > 0) throw new Error(`the test packs did not register: ${JSON.stringify(registered.body)}`);
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return platform;
}

/** Payloads are JSON bytes: every string and byte array in a history, as text. */
function payloadText(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(payloadText).join('\n');
  if (typeof value === 'object' && value !== null) return Object.values(value).map(payloadText).join('\n');
  return '';
}
