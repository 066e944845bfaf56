import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** How much of a failed command's output an error quotes: pip's last lines say what went wrong. */
const OUTPUT_BUDGET = 4_000;
const TIMEOUT_MS = 10 * 60_000;
/** Written last, before the rename: a folder without it was never finished. */
const COMPLETE_MARKER = '.tempest-complete';

export interface VirtualenvOptions {
  /** Where python3 and pip run: relative paths in `pipArgs` (`-r requirements.txt`) are read from there. */
  cwd?: string;
  /** Their environment; this process's when not given. */
  env?: NodeJS.ProcessEnv;
}

/** python3 could not make the virtualenv (`venv`), or pip could not install into it (`pip`); `output` quotes what they said. */
export class VirtualenvError extends Error {
  constructor(
    readonly step: 'venv' | 'pip',
    readonly output: string,
  ) {
    super(`${step === 'venv' ? 'python3 -m venv' : 'pip install'} failed: ${output}`);
  }
}

/** Virtualenvs being made by this process, so two callers wait for one install. */
const making = new Map<string, Promise<void>>();

/**
 * The virtualenv at `dir` with `pip install <pipArgs>` done in it (no pip run when
 * `pipArgs` is empty), made if missing and reused if present. `dir` should name
 * what is installed (a version, a hash of the requirements): whoever asks for it
 * first decides its content. It is made in a folder of its own beside `dir` and
 * renamed into place once pip succeeded, so none is ever half made, and callers
 * in this process or in others that share the folder all get the one virtualenv.
 *
 * Because of that rename, its scripts' `#!` lines name the staging folder, which
 * is gone: run its tools through its python (`<dir>/bin/python -m <module>`),
 * never as `<dir>/bin/<script>`.
 */
export async function makeVirtualenv(dir: string, pipArgs: string[], options: VirtualenvOptions = {}): Promise<string> {
  if (isComplete(dir)) return dir;
  let made = making.get(dir);
  if (!made) {
    made = build(dir, pipArgs, options).finally(() => making.delete(dir));
    making.set(dir, made);
  }
  await made;
  return dir;
}

async function build(dir: string, pipArgs: string[], options: VirtualenvOptions): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const staging = `${dir}.tmp-${randomUUID()}`;
  try {
    await run('venv', 'python3', ['-m', 'venv', staging], options);
    if (pipArgs.length > 0) {
      await run('pip', join(staging, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', ...pipArgs], options);
    }
    await writeFile(join(staging, COMPLETE_MARKER), '');
    try {
      await rename(staging, dir);
    } catch (error) {
      // Another process made the same one meanwhile: keep it.
      if (!isComplete(dir)) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function isComplete(dir: string): boolean {
  return existsSync(join(dir, COMPLETE_MARKER));
}

function run(step: VirtualenvError['step'], command: string, args: string[], { cwd, env }: VirtualenvOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve();
      const output = `${stderr}${stdout}`.trim();
      const quoted = output.length > OUTPUT_BUDGET ? `...${output.slice(-OUTPUT_BUDGET)}` : output;
      reject(new VirtualenvError(step, quoted || error.message));
    });
  });
}
