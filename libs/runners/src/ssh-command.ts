import { shellQuote } from '@tempest/domain';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The first thing a remote command writes to stderr: the pid of the shell
 * sshd started, which leads the command's process group (and, under sudo,
 * that of the shell sudo started, which may lead a group of its own). Tempest
 * reads them (and hides them) to kill the command's processes on a timeout
 * or a cancellation, since OpenSSH refuses signal requests for root logins.
 */
export const PID_MARKER = /(?<=^|\n)tempest-remote-pid (\d+)\n/g;
/** How many PID_MARKER lines a command prints. */
export const MAX_PIDS = 2;
const PRINT_PID = `printf 'tempest-remote-pid %s\\n' "$$" >&2`;

export interface RemoteCommandOptions {
  /** Exported before the command runs; every value is quoted. */
  env: Record<string, string>;
  cwd?: string;
  sudo: boolean;
}

/** A variable name a shell can export, or the reason it cannot be used (a name cannot be quoted). */
export function checkEnvNames(env: Record<string, unknown>): string | undefined {
  const bad = Object.keys(env).filter((name) => !ENV_NAME.test(name));
  return bad.length > 0 ? `env: ${bad.map((n) => JSON.stringify(n)).join(', ')} cannot be an environment variable name (letters, digits and _, not starting with a digit)` : undefined;
}

/**
 * The command line sent to the remote shell, as StackStorm builds it: the
 * variables exported, then `cd` to `cwd`, then `body`. Each on its own line,
 * so nothing in `body` can change how the lines before it parse, and a failed
 * `cd` stops everything. Every value is a single-quoted shell word. With
 * sudo the whole script runs under `bash -c` as root, sudo reading its
 * password (if it needs one) from stdin, which the script then gives up, so
 * an unread password never reaches the command.
 */
export function remoteCommand(body: string, options: RemoteCommandOptions): string {
  return `${PRINT_PID}\n${shellScript(body, options)}`;
}

function shellScript(body: string, options: RemoteCommandOptions): string {
  const lines: string[] = [];
  if (options.sudo) lines.push('exec </dev/null', PRINT_PID);
  const names = Object.keys(options.env);
  if (names.length > 0) lines.push(`export ${names.map((name) => `${name}=${shellQuote(options.env[name])}`).join(' ')}`);
  if (options.cwd) lines.push(`cd -- ${shellQuote(options.cwd)} || exit 1`);
  lines.push(body);
  const script = lines.join('\n');
  return options.sudo ? `sudo -S -E -p '' -- bash -c ${shellQuote(script)}` : script;
}

/**
 * Sends `signal` to the process groups a remote command reported (see
 * PID_MARKER), innermost first; through sudo if it ran with sudo. sudo
 * cannot pass SIGKILL on to its command, so the command's own group is
 * signalled too.
 */
export function killCommand(pids: number[], signal: 'TERM' | 'KILL', sudo: boolean): string {
  const kill = `kill -${signal} -- ${[...pids].reverse().map((pid) => `-${pid}`).join(' ')}`;
  return sudo ? `sudo -S -p '' -- ${kill}` : kill;
}
