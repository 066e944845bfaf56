import { execFile } from 'node:child_process';
import { cp, mkdir, realpath, rename, rm } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';

const run = promisify(execFile);
const GIT_TIMEOUT_MS = 120_000;

/** A source a pack can be installed from: a local folder, or a git URL. */
export function describeSource(source: string): 'folder' | 'git' | undefined {
  if (isAbsolute(source)) return 'folder';
  if (/^(https?|ssh|git|file):\/\//.test(source) || /^[\w.-]+@[\w.-]+:/.test(source)) return 'git';
  return undefined;
}

/** Why a source may not be installed from, or undefined when it may. */
export type SourceRefusal = string | undefined;

/**
 * Checks a source before anything is copied or cloned: remote git URLs are
 * fine; a folder, or a `file://` repository, only under one of `roots`, with
 * symbolic links followed, so `/`, `/etc` or a link out of a root is refused.
 * Outside the roots, whether the folder exists is not said.
 */
export async function refuseSource(source: string, roots: string[]): Promise<SourceRefusal> {
  const local = localPathOf(source);
  if (local === undefined) return undefined;
  const allowed = roots.length > 0 ? `one of TEMPEST_PACK_INSTALL_ROOTS (${roots.join(', ')})` : 'none: TEMPEST_PACK_INSTALL_ROOTS is not set, so only remote git URLs are accepted';
  const refusal = `source: ${source} is not under a folder packs may be installed from; allowed: ${allowed}`;
  if (!roots.some((root) => isWithin(resolve(local), resolve(root)))) return refusal;
  const real = await realpath(local).catch(() => undefined);
  if (real === undefined) return `source: no folder ${source}`;
  const realRoots = await Promise.all(roots.map((root) => realpath(root).catch(() => resolve(root))));
  return realRoots.some((root) => isWithin(real, root)) ? undefined : refusal;
}

/** The path on this host a source names: a folder, or a `file://` git URL; undefined for a remote URL. */
function localPathOf(source: string): string | undefined {
  if (describeSource(source) === 'folder') return source;
  if (!source.startsWith('file://')) return undefined;
  try {
    return fileURLToPath(source);
  } catch {
    return '/';
  }
}

/** A root itself is not a pack, only what is inside it. */
function isWithin(path: string, root: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Fetches the pack into a fresh staging folder beside the packs; the caller validates and moves it. */
export async function fetchPack(packsDir: string, source: string, ref: string | undefined): Promise<string> {
  await mkdir(packsDir, { recursive: true });
  const staging = join(packsDir, `.install-${randomUUID()}`);
  try {
    if (describeSource(source) === 'folder') {
      await cp(source, staging, { recursive: true, filter: (path) => !path.endsWith('/.git') });
    } else {
      // `--` ends options: neither the URL nor the folder can be read as one.
      await run('git', ['clone', '--quiet', '--', source, staging], { timeout: GIT_TIMEOUT_MS });
      if (ref) await run('git', ['-C', staging, 'checkout', '--quiet', '--detach', ref, '--'], { timeout: GIT_TIMEOUT_MS });
      await rm(join(staging, '.git'), { recursive: true, force: true });
    }
    return staging;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(stderr ? stderr.split('\n').at(-1)! : (error as Error).message);
  }
}

/**
 * Puts the staged pack in place of `<packsDir>/<ref>`, keeping the previous
 * version until `commit` is called; `rollback` restores it.
 */
export async function swapIn(packsDir: string, staging: string, ref: string) {
  const target = join(packsDir, ref);
  const previous = join(packsDir, `.previous-${ref}-${randomUUID()}`);
  const hadPrevious = await rename(target, previous).then(
    () => true,
    () => false,
  );
  await rename(staging, target);
  return {
    target,
    commit: () => rm(previous, { recursive: true, force: true }),
    rollback: async () => {
      await rm(target, { recursive: true, force: true });
      if (hadPrevious) await rename(previous, target);
    },
  };
}
