import { spawn } from 'node:child_process';
import { withoutNul } from '@tempest/db';
import type { FinalStatus } from '@tempest/workflows';
import type { RunnerContext } from './runner';

const HEARTBEAT_MS = 5_000;
const CANCEL_GRACE_MS = 5_000;
/** The result keeps at most this much of each stream; the execution's output keeps more (OutputSink's budget). */
const RESULT_STREAM_LIMIT = 1024 * 1024;

export interface ProcessResult {
  status: FinalStatus;
  result: { succeeded: boolean; failed: boolean; return_code: number; stdout: string; stderr: string };
  /** What the process wrote to file descriptor 3, when `resultPipe` asked for it. */
  resultPipe?: string;
}

/** Appends `chunk` to a stream kept for the result, up to its limit (NUL as U+FFFD: in JSON each NUL would take six bytes). */
export function keep(text: string, chunk: string): string {
  if (text.length >= RESULT_STREAM_LIMIT) return text;
  const next = text + withoutNul(chunk);
  return next.length > RESULT_STREAM_LIMIT ? `${next.slice(0, RESULT_STREAM_LIMIT)}\n[truncated: the execution's output has more]` : next;
}

/**
 * Runs a command in a process group of its own, streaming its output. The
 * timeout and cancellation kill the whole group, so nothing the action
 * started outlives it. The result has StackStorm's shape.
 */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env: Record<string, string>; timeoutSeconds: number; stdin?: string; resultPipe?: boolean },
  context: RunnerContext,
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let ending: 'timeout' | 'canceled' | undefined;
    let resultPipe = '';
    // Without input, stdin is /dev/null rather than a socket (Node's pipes), which a shell may take for a remote login.
    const stdin = options.stdin === undefined ? 'ignore' : 'pipe';
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: options.resultPipe ? [stdin, 'pipe', 'pipe', 'pipe'] : [stdin, 'pipe', 'pipe'] });
    if (options.resultPipe) (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (data: string) => (resultPipe += data));
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    // An action that exits without reading its input makes this write fail
    // (EPIPE); that is the action's business, and must not crash the worker.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.stdin);
    child.stdout!.setEncoding('utf8').on('data', (data: string) => {
      stdout = keep(stdout, data);
      context.output.append('stdout', data);
    });
    child.stderr!.setEncoding('utf8').on('data', (data: string) => {
      stderr = keep(stderr, data);
      context.output.append('stderr', data);
    });
    const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
    const timeout = setTimeout(() => {
      ending = 'timeout';
      killGroup('SIGKILL');
    }, options.timeoutSeconds * 1000);
    let forceKill: NodeJS.Timeout | undefined;
    const onCancel = () => {
      ending ??= 'canceled';
      killGroup('SIGTERM');
      forceKill = setTimeout(() => killGroup('SIGKILL'), CANCEL_GRACE_MS);
    };
    context.signal.addEventListener('abort', onCancel, { once: true });
    const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
      clearInterval(heartbeat);
      clearTimeout(timeout);
      clearTimeout(forceKill);
      context.signal.removeEventListener('abort', onCancel);
      if (spawnError) stderr = keep(stderr, `cannot start ${command}: ${spawnError.message}\n`);
      // Shell convention for a process ended by a signal: 128 + its number (SIGKILL: 137).
      const returnCode = code ?? (signal === 'SIGKILL' ? 137 : signal === 'SIGTERM' ? 143 : 1);
      const status: FinalStatus = ending ?? (returnCode === 0 && !spawnError ? 'succeeded' : 'failed');
      if (ending === 'timeout') stderr = keep(stderr, `\naction timed out after ${options.timeoutSeconds}s; its processes were killed\n`);
      resolve({
        status,
        result: { succeeded: status === 'succeeded', failed: status !== 'succeeded', return_code: returnCode, stdout, stderr },
        ...(options.resultPipe ? { resultPipe } : {}),
      });
    };
    child.once('error', (error) => finish(null, null, error));
    child.once('close', (code, signal) => finish(code, signal));
  });
}
