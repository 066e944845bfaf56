import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';

/**
 * StackStorm's own client, as its users install it (`pip install st2client`).
 * Pinned: its table layouts and the requests it sends are what the specs assert on.
 */
export const ST2CLIENT_VERSION = '3.9.0';
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const COMPLETE_MARKER = '.tempest-complete';

let installing: Promise<string> | undefined;

/**
 * The virtualenv with st2client installed, made once per machine and kept under
 * `.data/cache/` so later runs reuse it. It is made in a folder of its own and
 * renamed into place once pip succeeded, so a run stopped half way leaves none half made.
 */
export function st2clientVirtualenv(): Promise<string> {
  installing ??= install();
  return installing;
}

async function install(): Promise<string> {
  const cache = join(findRepoRoot(), '.data', 'cache');
  const dir = join(cache, `st2client-${ST2CLIENT_VERSION}`);
  if (existsSync(join(dir, COMPLETE_MARKER))) return dir;
  await mkdir(cache, { recursive: true });
  const staging = `${dir}.tmp-${randomUUID()}`;
  try {
    await run('python3', ['-m', 'venv', staging]);
    await run(join(staging, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', `st2client==${ST2CLIENT_VERSION}`]);
    await writeFile(join(staging, COMPLETE_MARKER), '');
    try {
      await rename(staging, dir);
    } catch (error) {
      // Another run made it meanwhile: keep that one.
      if (!existsSync(join(dir, COMPLETE_MARKER))) throw error;
    }
    return dir;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`installing st2client ${ST2CLIENT_VERSION}: ${command} ${args.join(' ')}: ${stderr}${stdout}`.trim()));
      else resolve();
    });
  });
}

export interface St2Result {
  code: number;
  stdout: string;
  stderr: string;
}

export interface St2Client {
  /** `st2 ...` as a user types it, pointed at the platform with the API key given (or `options.apiKey`: another user's). */
  st2(args: string[], options?: { apiKey?: string }): Promise<St2Result>;
  /** A Python script run with st2client importable and ST2_BASE_URL/ST2_API_KEY set (for `Client`). */
  python(script: string): Promise<St2Result>;
}

/** The real `st2` CLI and Python client, pointed at a Tempest gateway (`base`, e.g. `http://127.0.0.1:9101`). */
export async function st2client(base: string, apiKey: string): Promise<St2Client> {
  const venv = await st2clientVirtualenv();
  const home = join(venv, '..', `st2client-home-${randomUUID()}`);
  await mkdir(home, { recursive: true });
  // HOME of its own: st2 reads ~/.st2/config and keeps a token cache there, and must find neither of the user's.
  const env = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', ST2_BASE_URL: base, ST2_API_URL: `${base}/api/v1`, ST2_AUTH_URL: `${base}/auth/v1`, ST2_STREAM_URL: `${base}/stream/v1`, ST2_API_KEY: apiKey, COLUMNS: '200' };
  const exec = (command: string, args: string[], apiKeyOverride?: string) =>
    new Promise<St2Result>((resolve) => {
      execFile(command, args, { env: apiKeyOverride ? { ...env, ST2_API_KEY: apiKeyOverride } : env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ code: error ? (typeof code === 'number' ? code : 1) : 0, stdout, stderr: error && typeof code !== 'number' ? `${error.message}\n${stderr}` : stderr });
      });
    });
  return {
    // Through its python, not bin/st2: the virtualenv was renamed into place, so its scripts' #! lines name the staging folder.
    st2: (args, options) => exec(join(venv, 'bin', 'python'), ['-m', 'st2client.shell', ...args], options?.apiKey),
    python: (script) => exec(join(venv, 'bin', 'python'), ['-c', script]),
  };
}
