import { execFile } from 'node:child_process';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
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
