import { constants, homedir } from 'node:os';
import { join } from 'node:path';
import type { ActionOutcome, FinalStatus } from '@tempest/workflows';
import { keep } from './process-runner';
import type { RunnerContext } from './runner';
import { checkEnvNames, killCommand } from './ssh-command';
import { sshCredentials } from './ssh-credentials';
import { parseHosts, type SshTarget } from './ssh-hosts';
import { hostKeyPolicy } from './ssh-known-hosts';
import { SshSession, type ExecResult } from './ssh-session';
import { stripShellChars } from './shell-output';

const HEARTBEAT_MS = 5_000;
/** Removing a script's folder may outlive the action's timeout or cancellation by this much. */
const CLEANUP_MS = 15_000;

/** One host's part of the result, as StackStorm's remote runners report it. */
export interface HostResult {
  succeeded: boolean;
  failed: boolean;
  return_code: number;
  stdout: string;
  stderr: string;
  /** Set when the action's timeout ended the command. */
  timeout?: boolean;
  /** Why the host failed, when it is not the command's own exit code. */
  error?: string;
}

/** What the work on one host gets: the connection, and a way to run a command on it. */
export interface HostRun {
  session: SshSession;
  target: SshTarget;
  /** Runs `command`, streaming its output into the execution's output; killed at the action's deadline. */
  exec(command: string, stdin?: string): Promise<HostResult>;
  /** Runs a housekeeping command quietly, even after a timeout or a cancellation; its failure, if any. */
  cleanup(command: string, stdin?: string): Promise<string | undefined>;
}

function failure(error: string, extra: Partial<HostResult> = {}): HostResult {
  return { succeeded: false, failed: true, return_code: 255, stdout: '', stderr: '', error, ...extra };
}

/** Shell convention for a command a signal ended: 128 + the signal's number. */
function signalCode(name: string | undefined): number {
  const number = name ? constants.signals[`SIG${name}` as keyof typeof constants.signals] : undefined;
  return 128 + (number ?? 0);
}

function hostResult(run: ExecResult, rawStdout: string, rawStderr: string, session: SshSession, timeoutSeconds: number): HostResult {
  const stdout = stripShellChars(rawStdout);
  const stderr = stripShellChars(rawStderr);
  if (run.ending === 'timeout') {
    return failure(`timed out after ${timeoutSeconds}s; the remote command was killed`, { stdout, stderr, timeout: true, return_code: -9 });
  }
  if (run.ending === 'canceled') return failure('canceled; the remote command was stopped', { stdout, stderr, return_code: run.code ?? signalCode(run.exitSignal ?? 'TERM') });
  if (run.lost) return failure(`${session.label}: the connection was lost before the command finished`, { stdout, stderr });
  const code = run.code ?? signalCode(run.exitSignal);
  return { succeeded: code === 0, failed: code !== 0, return_code: code, stdout, stderr };
}

/** What sudo reads on stdin when it asks for a password. */
export function sudoStdin(parameters: Record<string, unknown>): string | undefined {
  return parameters.sudo === true && typeof parameters.sudo_password === 'string' ? `${parameters.sudo_password}\n` : undefined;
}

/**
 * The variables the remote command gets: the action's `env`, then StackStorm's
 * ST2_ACTION_* but for API tokens: exported on the remote command line, they
 * would show in every process listing on that host.
 */
export function remoteEnv(context: RunnerContext): Record<string, string> | { error: string } {
  const env = { ...((context.parameters.env as Record<string, unknown>) ?? {}) };
  const bad = checkEnvNames(env);
  if (bad) return { error: bad };
  const action = Object.entries(context.actionEnv).filter(([name]) => !name.endsWith('_TOKEN'));
  return { ...Object.fromEntries(Object.entries(env).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)])), ...Object.fromEntries(action) };
}

/**
 * StackStorm's remote runners: connects to every host in `hosts` (all at
 * once, or one after another without `parallel`), runs `work` on each, and
 * reports a result keyed by host. A host that cannot be reached or logged
 * into fails on its own; the execution succeeds only if every host did. The
 * action's `timeout` is one deadline for the whole run. Each host's key must
 * be the one the worker's known_hosts has for it, unless the action sets
 * `strict_host_key_checking: false`.
 */
export async function runOnHosts(context: RunnerContext, work: (run: HostRun) => Promise<HostResult>): Promise<ActionOutcome> {
  const p = context.parameters;
  const targets = parseHosts(String(p.hosts ?? ''), Number(p.port ?? 22));
  if ('error' in targets) return { status: 'failed', result: { error: targets.error } };
  const credentials = await sshCredentials(p);
  if ('error' in credentials) return { status: 'failed', result: { error: credentials.error } };
  const timeoutSeconds = Number(p.timeout ?? 60);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const knownHosts = context.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts');
  const strict = p.strict_host_key_checking !== false;
  const kill = (pids: number[], signal: 'TERM' | 'KILL') => ({ command: killCommand(pids, signal, p.sudo === true), stdin: sudoStdin(p) });

  const onHost = async (target: SshTarget): Promise<HostResult> => {
    if (context.signal.aborted) return failure('canceled before it ran on this host');
    if (Date.now() >= deadline) return failure(`not run: the action's ${timeoutSeconds}s timeout passed before this host's turn`, { timeout: true, return_code: -9 });
    let session: SshSession;
    try {
      const hostKeys = strict ? await hostKeyPolicy(knownHosts, target.host, target.port) : undefined;
      session = await SshSession.connect(target.host, target.port, credentials, { deadline, signal: context.signal, hostKeys });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      context.output.append('stderr', `${message}\n`);
      return failure(message, Date.now() >= deadline ? { timeout: true } : {});
    }
    const exec = async (command: string, stdin?: string): Promise<HostResult> => {
      let stdout = '';
      let stderr = '';
      const run = await session.exec(command, {
        stdin,
        kill,
        deadline,
        signal: context.signal,
        onStdout: (data) => {
          stdout = keep(stdout, data);
          context.output.append('stdout', data);
        },
        onStderr: (data) => {
          stderr = keep(stderr, data);
          context.output.append('stderr', data);
        },
      });
      return hostResult(run, stdout, stderr, session, timeoutSeconds);
    };
    const cleanup = async (command: string, stdin?: string): Promise<string | undefined> => {
      let stderr = '';
      const run = await session.exec(command, { stdin, kill, deadline: Date.now() + CLEANUP_MS, signal: new AbortController().signal, onStdout: () => undefined, onStderr: (data) => (stderr = keep(stderr, data)) });
      return run.code === 0 ? undefined : stderr.trim() || `exit code ${run.code ?? run.exitSignal ?? 'unknown'}`;
    };
    try {
      return await work({ session, target, exec, cleanup });
    } catch (error) {
      return failure(`${session.label}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      session.close();
    }
  };

  const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
  const results: HostResult[] = [];
  try {
    if (p.parallel === false) for (const target of targets) results.push(await onHost(target));
    else results.push(...(await Promise.all(targets.map(onHost))));
  } finally {
    clearInterval(heartbeat);
  }
  return { status: overallStatus(results, context.signal.aborted), result: Object.fromEntries(targets.map((t, i) => [t.name, results[i]])) };
}

/** Succeeded only if every host did; timeout when every failure was the timeout. */
function overallStatus(results: HostResult[], canceled: boolean): FinalStatus {
  if (results.every((r) => r.succeeded)) return 'succeeded';
  if (canceled) return 'canceled';
  return results.filter((r) => !r.succeeded).every((r) => r.timeout) ? 'timeout' : 'failed';
}
