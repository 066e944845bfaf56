import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { SEARCH_ATTRIBUTES } from './names';

export class TemporalCliError extends Error {}

/**
 * Finds or builds the pinned Temporal CLI through temporal/provision.sh. The
 * script's progress and errors go straight to our stderr, so a first-time
 * build says what it is doing while it takes minutes.
 */
export function provisionTemporalCli(repoRoot: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'temporal', 'provision.sh')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && stdout.trim()) resolve(stdout.trim());
      else reject(new TemporalCliError('could not provision the Temporal CLI (see the line above)'));
    });
  });
}

/**
 * Resolves once the dev server at `address` answers for the namespace, asked
 * with the CLI itself (`temporal operator namespace describe`), so the launcher
 * that supervises the server needs no gRPC client of its own; rejects with
 * the CLI's reason otherwise.
 */
export function devServerAnswers(cli: string, address: string, namespace: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cli, ['operator', 'namespace', 'describe', '--address', address, '--namespace', namespace, '--command-timeout', '2s', '--output', 'json'], { timeout: 5_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(stderr.trim().split('\n').at(-1) || error.message));
      else resolve();
    });
  });
}

export interface DevServerOptions {
  dbFile: string;
  port: number;
  uiPort: number;
  namespace: string;
  headless?: boolean;
}

/** Arguments for `temporal server start-dev` with Tempest's search attributes. */
export function devServerArgs(options: DevServerOptions): string[] {
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--db-filename', options.dbFile,
    // WAL with synchronous=normal nearly doubles throughput; a killed process
    // loses nothing committed (only an OS crash can lose the last transactions).
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    // An activity scheduled by a workflow task goes back to the worker that completed it, in the
    // completion's answer, instead of through the task queue: one round trip less per action run.
    '--dynamic-config-value', 'system.enableActivityEagerExecution=true',
    // The history service reads its transfer queue (a child's start and end, each workflow task to hand
    // to a worker) at most 20 times a second by default: up to 50 ms on every hop, several per workflow
    // task. It reads only when told of new tasks, so an idle server stays idle.
    '--dynamic-config-value', 'history.transferProcessorMaxPollRPS=1000',
    '--namespace', options.namespace,
    '--log-format', 'json',
    '--log-level', 'warn',
  ];
  if (options.headless) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  return args;
}
