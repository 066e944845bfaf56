import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** How much of pip's output a failure quotes: its last lines say what went wrong. */
const PIP_OUTPUT_BUDGET = 4_000;
const PIP_TIMEOUT_MS = 10 * 60_000;
const COMPLETE_MARKER = '.tempest-complete';

export class PackDependencyError extends Error {}

/** Virtualenvs being made by this process, so two callers wait for one install. */
const making = new Map<string, Promise<string>>();

/**
 * The Python of a pack with a `requirements.txt`: a virtualenv of its own with
 * those requirements installed, as StackStorm makes one per pack. It lives
 * beside the packs folder (`<packs>/../virtualenvs/<pack>-<hash>`, as
 * StackStorm's /opt/stackstorm/virtualenvs beside /opt/stackstorm/packs),
 * named by a hash of the requirements: a pack updated with other requirements
 * gets a new one while executions on the old one finish, and every process
 * (gateway, worker, sensor container, on any host sharing the folder) finds
 * the same one, or makes it if it is missing. It is made in a folder of its
 * own and renamed into place once pip succeeded, so none is ever half made.
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
  const python = join(dir, 'bin', 'python');
  if (existsSync(join(dir, COMPLETE_MARKER))) return python;
  let made = making.get(dir);
  if (!made) {
    made = makeVirtualenv(dir, packDir, pack).finally(() => making.delete(dir));
    making.set(dir, made);
  }
  await made;
  return python;
}

async function makeVirtualenv(dir: string, packDir: string, pack: string): Promise<string> {
  const staging = `${dir}.tmp-${randomUUID()}`;
  try {
    await run('python3', ['-m', 'venv', staging], packDir, `cannot make a virtualenv for pack "${pack}"`);
    // Relative paths in requirements.txt are the pack's, as pip reads them from there.
    await run(join(staging, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '-r', 'requirements.txt'], packDir, `pack "${pack}": pip install -r requirements.txt failed`);
    await writeFile(join(staging, COMPLETE_MARKER), '');
    try {
      await rename(staging, dir);
    } catch (error) {
      // Another process made the same one meanwhile: keep it.
      if (!existsSync(join(dir, COMPLETE_MARKER))) throw error;
    }
    return dir;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, timeout: PIP_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: process.env.LANG ?? 'C.UTF-8', PIP_NO_INPUT: '1' } }, (error, stdout, stderr) => {
      if (!error) return resolve();
      const output = `${stderr}${stdout}`.trim();
      const quoted = output.length > PIP_OUTPUT_BUDGET ? `...${output.slice(-PIP_OUTPUT_BUDGET)}` : output;
      reject(new PackDependencyError(`${what}: ${quoted || error.message}`));
    });
  });
}
