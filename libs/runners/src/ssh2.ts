import type { EventEmitter } from 'node:events';
import type { Duplex, Readable } from 'node:stream';

// ssh2 ships no types, and @types/ssh2 pulls in an older @types/node that
// clashes with ours; these declare the part of ssh2 1.17 the SSH runners use.

export interface ParsedKey {
  type: string;
  isPrivateKey(): boolean;
}

export type AuthMethod =
  | { type: 'publickey'; username: string; key: string | Buffer; passphrase?: string }
  | { type: 'password'; username: string; password: string }
  | {
      type: 'keyboard-interactive';
      username: string;
      prompt(name: string, instructions: string, language: string, prompts: { prompt: string; echo: boolean }[], finish: (answers: string[]) => void): void;
    };

export interface ConnectConfig {
  host: string;
  port: number;
  username: string;
  readyTimeout: number;
  keepaliveInterval?: number;
  /** Given the host's public key (its wire blob); false refuses the connection. */
  hostVerifier?(key: Buffer): boolean;
  /** `remove` then `prepend` reorders ssh2's defaults. */
  algorithms?: { serverHostKey?: { remove: string[]; prepend: string[] } };
  /** Called before each attempt with the methods the server still accepts (null on the first). */
  authHandler(methodsLeft: string[] | null, partialSuccess: boolean | null, next: (method: AuthMethod | false) => void): void;
}

export interface ClientChannel extends Duplex {
  stderr: Readable;
  close(): void;
  on(event: 'exit', listener: (code: number | null, signal?: string) => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: string, listener: (...args: never[]) => void): this;
}

export interface SftpSession {
  mkdir(path: string, attributes: { mode: number }, callback: (error?: Error | null) => void): void;
  fastPut(localPath: string, remotePath: string, callback: (error?: Error | null) => void): void;
  chmod(path: string, mode: number, callback: (error?: Error | null) => void): void;
  end(): void;
}

export interface SshClient extends EventEmitter {
  connect(config: ConnectConfig): this;
  exec(command: string, callback: (error: Error | undefined, channel: ClientChannel) => void): this;
  sftp(callback: (error: Error | undefined, sftp: SftpSession) => void): this;
  end(): this;
  destroy(): this;
}

interface Ssh2Module {
  Client: new () => SshClient;
  utils: { parseKey(data: string | Buffer, passphrase?: string): ParsedKey | ParsedKey[] | Error };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ssh2 = require('ssh2') as Ssh2Module;

export const Ssh2Client = ssh2.Client;
export const parseKey = ssh2.utils.parseKey;

/**
 * Sends a signal to the remote command. ssh2's own `signal()` stays silent
 * once stdin has been closed (it checks the stream is writable), so the
 * request goes to its protocol layer directly; OpenSSH then signals the
 * command's whole process group.
 */
export function signalChannel(channel: ClientChannel, name: 'TERM' | 'KILL'): void {
  const internal = channel as unknown as { outgoing?: { id: number; state: string }; _client?: { _protocol?: { signal(id: number, name: string): void } } };
  const { outgoing } = internal;
  if (outgoing && (outgoing.state === 'open' || outgoing.state === 'eof')) internal._client?._protocol?.signal(outgoing.id, name);
}
