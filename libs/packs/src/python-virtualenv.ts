import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { makeVirtualenv, VirtualenvError } from '@tempest/virtualenv';

export class PackDependencyError extends Error {}

/**
 * The Python of a pack with a `requirements.txt`: a virtualenv of its own with
 * those requirements installed, as StackStorm makes one per pack. It lives
 * beside the packs folder (`<packs>/../virtualenvs/<pack>-<hash>`, as
 * StackStorm's /opt/stackstorm/virtualenvs beside /opt/stackstorm/packs),
 * named by a hash of the requirements: a pack updated with other requirements
 * gets a new one while executions on the old one finish, and every process
 * (gateway, worker, sensor container, on any host sharing the folder) finds
 * the same one, or makes it if it is missing (makeVirtualenv: never half made).
 * `undefined`: the pack has no requirements.txt, or one that names nothing (it runs with python3).
 */
export async function packPython(packDir: string, pack: string): Promise<string | undefined> {
  let requirements: string;
  try {
    requirements = await readFile(join(packDir, 'requirements.txt'), 'utf8');
  } catch {
    return undefined;
  }
  // Nothing to install (StackStorm's linux pack ships an empty one): the worker's python3 will do.
  if (!requirements.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('#'))) return undefined;
  const hash = createHash('sha256').update(requirements).digest('hex').slice(0, 16);
  const dir = join(dirname(dirname(packDir)), 'virtualenvs', `${pack}-${hash}`);
  try {
    // From the pack's folder: relative paths in requirements.txt are the pack's. pip sees only PATH, HOME and LANG of this process's environment.
    await makeVirtualenv(dir, ['-r', 'requirements.txt'], { cwd: packDir, env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: process.env.LANG ?? 'C.UTF-8', PIP_NO_INPUT: '1' } });
  } catch (error) {
    if (!(error instanceof VirtualenvError)) throw error;
    throw new PackDependencyError(error.step === 'venv' ? `cannot make a virtualenv for pack "${pack}": ${error.output}` : `pack "${pack}": pip install -r requirements.txt failed: ${error.output}`);
  }
  return join(dir, 'bin', 'python');
}
