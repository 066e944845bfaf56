import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** One key line of an OpenSSH known_hosts file. */
interface KnownHostLine {
  /** `@revoked` keys are refused for every host they name; `@cert-authority` lines are not supported and never match. */
  marker?: string;
  patterns: string[];
  keyType: string;
  /** The key blob, base64, as it appears on the line and on the wire. */
  key: string;
}

/** What the SSH session needs: the algorithms to ask for, and the verdict on the key a host shows. */
export interface HostKeyPolicy {
  /** Key types known_hosts has for the host, asked for first, as OpenSSH does, so a host with several keys shows a known one. */
  preferredAlgorithms: string[];
  /** Undefined when the key is the one known_hosts has for the host; else what is wrong, naming the host. */
  check(key: Buffer): string | undefined;
}

/** The host key algorithms ssh2 can negotiate for each key type a known_hosts line names (others, e.g. certificates, it cannot). */
const ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
};

/** The name known_hosts files use for a host: `host`, or `[host]:port` off port 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** SHA256 fingerprint as `ssh-keygen -l` shows it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function keyTypeOf(key: Buffer): string {
  const length = key.length >= 4 ? key.readUInt32BE(0) : 0;
  return key.subarray(4, 4 + length).toString('latin1');
}

export function parseKnownHosts(text: string): KnownHostLine[] {
  const lines: KnownHostLine[] = [];
  for (const raw of text.split('\n')) {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0].startsWith('#')) continue;
    const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) continue;
    lines.push({ marker, patterns: hosts.split(','), keyType, key });
  }
  return lines;
}

/** A glob of known_hosts (`*`, `?`), or a hashed name (`|1|salt|hash`), against the name looked up. */
function matchesPattern(pattern: string, name: string): boolean {
  const hashed = /^\|1\|([^|]+)\|([^|]+)$/.exec(pattern);
  if (hashed) return createHmac('sha1', Buffer.from(hashed[1], 'base64')).update(name).digest('base64') === hashed[2];
  const glob = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return glob.test(name);
}

/** OpenSSH's rule: a name matches a line if some pattern matches it and no negated (`!`) one does. */
function matchesLine(line: KnownHostLine, name: string): boolean {
  let matched = false;
  for (const pattern of line.patterns) {
    if (pattern.startsWith('!')) {
      if (matchesPattern(pattern.slice(1), name)) return false;
    } else if (matchesPattern(pattern, name)) matched = true;
  }
  return matched;
}

/**
 * The policy for one host from a known_hosts file (OpenSSH's format: plain
 * and hashed names, `[host]:port`, globs and negations, `@revoked`). A
 * missing file knows no host. The key must be one the file has for the host:
 * an unknown host and a changed key are both refused, as ssh's
 * StrictHostKeyChecking=yes does, each with its own message.
 */
export async function hostKeyPolicy(file: string, host: string, port: number): Promise<HostKeyPolicy> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw new Error(`cannot read the known_hosts file ${file} (${error.code ?? error.message})`);
  });
  const name = knownHostsName(host, port);
  const lines = parseKnownHosts(text);
  const revoked = new Set(lines.filter((l) => l.marker === '@revoked').map((l) => l.key));
  const known = lines.filter((l) => l.marker === undefined && matchesLine(l, name));
  const preferredAlgorithms = [...new Set(known.flatMap((l) => ALGORITHMS[l.keyType] ?? []))];
  return {
    preferredAlgorithms,
    check(key: Buffer): string | undefined {
      const shown = `${keyTypeOf(key)} ${fingerprint(key)}`;
      const blob = key.toString('base64');
      if (revoked.has(blob)) return `the host key of ${name} (${shown}) is marked @revoked in ${file}: refusing to connect`;
      if (known.some((l) => l.key === blob)) return undefined;
      if (known.length > 0) {
        return `the host key of ${name} (${shown}) does not match the one ${file} has for it: the host was reinstalled or someone is intercepting the connection; check, then replace its line (ssh-keygen -R '${name}' -f ${file})`;
      }
      return `the host key of ${name} (${shown}) is unknown: it is not in ${file}; check the fingerprint and add it (ssh-keyscan${port === 22 ? '' : ` -p ${port}`} ${host} >> ${file}), or set strict_host_key_checking: false on the action`;
    },
  };
}
