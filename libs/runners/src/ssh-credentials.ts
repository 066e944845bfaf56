import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { parseKey, type AuthMethod } from './ssh2';

/** Keys ssh itself tries when none is named, in its order. */
const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export interface SshCredentials {
  username: string;
  /** Tried in order, each only if the server still accepts its kind. */
  methods: AuthMethod[];
}

function isKeyText(value: string): boolean {
  return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(value);
}

/** The key, checked now so a wrong passphrase is reported as such rather than as a refused login. */
function usableKey(text: string, passphrase: string | undefined): { key: string } | { error: string } {
  const parsed = parseKey(text, passphrase);
  if (parsed instanceof Error) return { error: parsed.message };
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!first?.isPrivateKey()) return { error: 'not a private key' };
  return { key: text };
}

async function defaultKeys(username: string, passphrase: string | undefined): Promise<AuthMethod[]> {
  const methods: AuthMethod[] = [];
  for (const name of DEFAULT_KEYS) {
    const text = await readFile(join(homedir(), '.ssh', name), 'utf8').catch(() => undefined);
    if (text !== undefined && 'key' in usableKey(text, passphrase)) methods.push({ type: 'publickey', username, key: text, passphrase });
  }
  return methods;
}

/**
 * How to log in, from StackStorm's parameters: `private_key` (the key's text
 * or the path of a key file on the worker, with `passphrase`) and/or
 * `password`; with neither, the worker user's own keys in ~/.ssh, as ssh
 * would use them. The user is `username`, else the worker's user.
 */
export async function sshCredentials(parameters: Record<string, unknown>): Promise<SshCredentials | { error: string }> {
  const username = typeof parameters.username === 'string' && parameters.username !== '' ? parameters.username : userInfo().username;
  const passphrase = typeof parameters.passphrase === 'string' && parameters.passphrase !== '' ? parameters.passphrase : undefined;
  const methods: AuthMethod[] = [];
  const privateKey = typeof parameters.private_key === 'string' ? parameters.private_key.trim() : '';
  if (privateKey) {
    let text = privateKey;
    if (!isKeyText(privateKey)) {
      const file = privateKey.startsWith('~/') ? join(homedir(), privateKey.slice(2)) : privateKey;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        // Never quote the value: a key pasted wrongly (or a password given as private_key) is a secret.
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        return { error: `private_key: neither the text of a private key (-----BEGIN ... PRIVATE KEY-----) nor the path of a key file readable on this worker (${code})` };
      }
    }
    const checked = usableKey(text, passphrase);
    if ('error' in checked) return { error: `private_key: cannot use the key: ${checked.error}` };
    methods.push({ type: 'publickey', username, key: checked.key, passphrase });
  }
  const password = typeof parameters.password === 'string' && parameters.password !== '' ? parameters.password : undefined;
  if (password !== undefined) {
    methods.push({ type: 'password', username, password });
    methods.push({ type: 'keyboard-interactive', username, prompt: (_name, _instructions, _language, prompts, finish) => finish(prompts.map(() => password)) });
  }
  if (!privateKey && password === undefined) methods.push(...(await defaultKeys(username, passphrase)));
  if (methods.length === 0) return { error: `no way to log in as ${username}: give private_key or password, or put a key in ~/.ssh of the worker's user` };
  return { username, methods };
}
