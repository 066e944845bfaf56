import { StringDecoder } from 'node:string_decoder';
import { MAX_PIDS, PID_MARKER } from './ssh-command';
import type { SshCredentials } from './ssh-credentials';
import { hostPort } from './ssh-hosts';
import type { HostKeyPolicy } from './ssh-known-hosts';
import { Ssh2Client, signalChannel, type AuthMethod, type ClientChannel, type SftpSession, type SshClient } from './ssh2';

const MAX_HANDSHAKE_MS = 30_000;
const KEEPALIVE_MS = 10_000;
const CANCEL_GRACE_MS = 5_000;
const CLOSE_WAIT_MS = 10_000;
/** How much of stderr may come before the pid a command reports (a login script may print first). */
const MARKER_SCAN_BYTES = 4096;
const ignore = () => undefined;

/** A connection or login that failed, with the one line a user needs. */
export class SshError extends Error {}

export interface ExecOptions {
  /** Written to the command's stdin, which is then closed. */
  stdin?: string;
  onStdout(data: string): void;
  onStderr(data: string): void;
  /** When the command is killed (epoch ms). */
  deadline: number;
  signal: AbortSignal;
  /** The command that signals the process groups a command reported (see PID_MARKER). */
  kill?(pids: number[], signal: 'TERM' | 'KILL'): { command: string; stdin?: string };
}

export interface ExecResult {
  /** Exit code; null when a signal ended the command or the connection was lost. */
  code: number | null;
  exitSignal?: string;
  /** Why Tempest ended it, if it did. */
  ending?: 'timeout' | 'canceled';
  /** The connection dropped before the command reported how it ended. */
  lost?: boolean;
}

function describeAuth(methods: AuthMethod[]): string {
  return [...new Set(methods.map((m) => (m.type === 'keyboard-interactive' ? 'password' : m.type)))].join(', ');
}

/** One SSH connection to one host: commands on it, and files copied to it over SFTP. */
export class SshSession {
  private constructor(
    private readonly client: SshClient,
    readonly label: string,
  ) {}

  /**
   * Connects and logs in, trying each credential the server still accepts.
   * The host's key is checked against `hostKeys` before any credential is
   * sent; without a policy (the action opted out) any key is accepted, as
   * StackStorm's runners do.
   */
  static connect(host: string, port: number, credentials: SshCredentials, options: { deadline: number; signal: AbortSignal; hostKeys?: HostKeyPolicy }): Promise<SshSession> {
    const label = `ssh to ${hostPort(host, port)} as ${credentials.username}`;
    return new Promise((resolve, reject) => {
      const client = new Ssh2Client();
      const readyTimeout = Math.max(1_000, Math.min(MAX_HANDSHAKE_MS, options.deadline - Date.now()));
      const queue = [...credentials.methods];
      let authFailed = false;
      let hostKeyProblem: string | undefined;
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        options.signal.removeEventListener('abort', onAbort);
        if (error) {
          client.destroy();
          reject(error);
        } else resolve(new SshSession(client, label));
      };
      const onAbort = () => settle(new SshError(`${label}: canceled while connecting`));
      options.signal.addEventListener('abort', onAbort, { once: true });
      client.on('ready', () => settle());
      client.on('error', (error: Error & { level?: string }) => {
        if (hostKeyProblem) {
          settle(new SshError(`${label}: ${hostKeyProblem}`));
        } else if (authFailed || error.level === 'client-authentication') {
          settle(new SshError(`${label}: authentication failed (${describeAuth(credentials.methods)})`));
        } else if (error.level === 'client-timeout') {
          settle(new SshError(`${label}: no SSH handshake within ${Math.round(readyTimeout / 1000)}s`));
        } else {
          settle(new SshError(`${label}: cannot connect (${error.message})`));
        }
      });
      client.on('close', () => settle(new SshError(`${label}: ${hostKeyProblem ?? 'the connection closed during login'}`)));
      client.connect({
        host,
        port,
        username: credentials.username,
        readyTimeout,
        keepaliveInterval: KEEPALIVE_MS,
        ...(options.hostKeys && {
          hostVerifier: (key: Buffer) => {
            hostKeyProblem = options.hostKeys!.check(key);
            return hostKeyProblem === undefined;
          },
          algorithms: { serverHostKey: { remove: options.hostKeys.preferredAlgorithms, prepend: options.hostKeys.preferredAlgorithms } },
        }),
        authHandler: (methodsLeft, _partialSuccess, next) => {
          while (queue.length > 0) {
            const method = queue.shift()!;
            if (!methodsLeft || methodsLeft.includes(method.type)) return next(method);
          }
          authFailed = true;
          next(false);
        },
      });
      if (options.signal.aborted) onAbort();
    });
  }

  /**
   * Runs `command` through the login shell, streaming its output. At the
   * deadline its process group gets SIGKILL; on cancellation SIGTERM, then
   * SIGKILL after a grace period. Each is sent as an SSH signal request and,
   * since OpenSSH ignores those for root, also by `options.kill` on a
   * channel of its own; then the channel is closed.
   */
  exec(command: string, options: ExecOptions): Promise<ExecResult> {
    return new Promise((resolve) => {
      this.client.exec(command, (error, channel) => {
        if (error) {
          options.onStderr(`${this.label}: cannot run the command (${error.message})\n`);
          return resolve({ code: null, lost: true });
        }
        this.watch(channel, options, resolve);
      });
    });
  }

  private watch(channel: ClientChannel, options: ExecOptions, resolve: (result: ExecResult) => void): void {
    let ending: ExecResult['ending'];
    let exit: { code: number | null; signal?: string } | undefined;
    let closed = false;
    const pids: number[] = [];
    let scanned = 0;
    const stdout = new StringDecoder('utf8');
    const stderr = new StringDecoder('utf8');
    channel.on('data', (data: Buffer) => {
      const text = stdout.write(data);
      if (text) options.onStdout(text);
    });
    channel.stderr.on('data', (data: Buffer) => {
      let text = stderr.write(data);
      if (pids.length < MAX_PIDS && scanned < MARKER_SCAN_BYTES) {
        scanned += text.length;
        text = text.replace(PID_MARKER, (match: string, pid: string) => {
          if (pids.length >= MAX_PIDS) return match;
          pids.push(Number(pid));
          return '';
        });
      }
      if (text) options.onStderr(text);
    });
    channel.on('exit', (code, signal) => (exit = { code, signal }));

    const signalGroup = async (name: 'TERM' | 'KILL') => {
      signalChannel(channel, name);
      if (pids.length === 0 || !options.kill || closed) return;
      const kill = options.kill(pids, name);
      await this.exec(kill.command, { stdin: kill.stdin, deadline: Date.now() + CLOSE_WAIT_MS, signal: new AbortController().signal, onStdout: ignore, onStderr: ignore });
    };
    let gone: NodeJS.Timeout | undefined;
    const end = () =>
      void signalGroup('KILL').then(() => {
        if (closed) return;
        channel.close();
        // A server that never confirms the close must not hold the action: drop the connection.
        gone = setTimeout(() => this.client.destroy(), CLOSE_WAIT_MS);
      });
    const timer = setTimeout(
      () => {
        ending = 'timeout';
        end();
      },
      Math.max(0, options.deadline - Date.now()),
    );
    let forceKill: NodeJS.Timeout | undefined;
    const onAbort = () => {
      ending ??= 'canceled';
      void signalGroup('TERM');
      forceKill = setTimeout(end, CANCEL_GRACE_MS);
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    // A lost connection surfaces as the channel closing without an exit status.
    channel.on('error', ignore);
    const stderrEnded = new Promise<void>((done) => (channel.stderr.readableEnded ? done() : channel.stderr.once('end', done).once('close', done)));
    channel.on('close', () => {
      closed = true;
      clearTimeout(timer);
      clearTimeout(forceKill);
      clearTimeout(gone);
      options.signal.removeEventListener('abort', onAbort);
      void stderrEnded.then(() => {
        const restOut = stdout.end();
        const restErr = stderr.end();
        if (restOut) options.onStdout(restOut);
        if (restErr) options.onStderr(restErr);
        resolve({ code: exit?.code ?? null, exitSignal: exit?.signal, ending, lost: !exit && !ending });
      });
    });
    channel.end(options.stdin ?? '');
    if (options.signal.aborted) onAbort();
  }

  /** Opens an SFTP session for `work`, closed afterwards whatever happens. */
  async sftp<T>(work: (sftp: SftpSession) => Promise<T>): Promise<T> {
    const sftp = await new Promise<SftpSession>((resolve, reject) => this.client.sftp((error, session) => (error ? reject(error) : resolve(session))));
    try {
      return await work(sftp);
    } finally {
      sftp.end();
    }
  }

  close(): void {
    this.client.end();
  }
}
