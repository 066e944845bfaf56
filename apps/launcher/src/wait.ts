import { get } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { LaunchError } from './console';

/**
 * Readiness probe: retries `probe` until it resolves, the process it waits
 * for exits, or the deadline passes. This is start-up polling of a real
 * server, not synchronisation inside tests.
 */
export async function waitUntilReady(
  what: string,
  probe: () => Promise<unknown>,
  options: { timeoutMs: number; exited: Promise<number | null>; logFile: string },
): Promise<void> {
  let exitCode: number | null | undefined;
  void options.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + options.timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new LaunchError(`${what} exited (code ${exitCode}) while starting; see ${options.logFile}`);
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await delay(200);
  }
  throw new LaunchError(`${what} did not become ready within ${options.timeoutMs / 1000}s (${lastError}); see ${options.logFile}`);
}

/**
 * GET over plain node:http, for readiness probes: global fetch would load undici
 * (megabytes) into the launcher for the platform's whole life, for one probe.
 */
export function httpGet(url: string, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}
