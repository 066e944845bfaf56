import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { makeVirtualenv } from '@tempest/virtualenv';

/**
 * StackStorm's own client, as its users install it (`pip install st2client`).
 * Pinned: its table layouts and the requests it sends are what the specs assert on.
 */
export const ST2CLIENT_VERSION = '3.9.0';

/**
 * The virtualenv with st2client installed, made once per machine and kept under
 * `.data/cache/` so later runs reuse it (makeVirtualenv: never half made).
 */
export async function st2clientVirtualenv(): Promise<string> {
  try {
    return await makeVirtualenv(join(findRepoRoot(), '.data', 'cache', `st2client-${ST2CLIENT_VERSION}`), [`st2client==${ST2CLIENT_VERSION}`]);
  } catch (error) {
    throw new Error(`installing st2client ${ST2CLIENT_VERSION}: ${(error as Error).message}`, { cause: error });
  }
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
    // Through its python, not bin/st2: the virtualenv was renamed into place, so its scripts' #! lines name the staging folder (makeVirtualenv).
    st2: (args, options) => exec(join(venv, 'bin', 'python'), ['-m', 'st2client.shell', ...args], options?.apiKey),
    python: (script) => exec(join(venv, 'bin', 'python'), ['-c', script]),
  };
}
