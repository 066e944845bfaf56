/** One host a remote action runs on. */
export interface SshTarget {
  /** Its key in the result: the host as StackStorm keys it (without the port, unless two entries share a host). */
  name: string;
  host: string;
  port: number;
}

const HOST = /^[A-Za-z0-9._%:-]+$/;

/** `host:port`, with IPv6 addresses in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function parseEntry(entry: string, defaultPort: number): { host: string; port: number } | { error: string } {
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(entry);
  let host = entry;
  let port: string | undefined;
  if (bracketed) [, host, port] = bracketed;
  else if (entry.split(':').length === 2) [host, port] = entry.split(':');
  // More than one colon and no brackets: a bare IPv6 address, on the default port.
  if (!host || !HOST.test(host)) return { error: `hosts: "${entry}" is not a host name or address (expected host, host:port or [IPv6]:port)` };
  if (port === undefined) return { host, port: defaultPort };
  const number = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(number >= 1 && number <= 65535)) return { error: `hosts: "${entry}" has an invalid port (expected 1-65535)` };
  return { host, port: number };
}

/**
 * StackStorm's `hosts`: comma-separated, each `host`, `host:port`, an IPv6
 * address, or `[IPv6]:port`; `defaultPort` for those without one. Repeated
 * entries run once.
 */
export function parseHosts(hosts: string, defaultPort: number): SshTarget[] | { error: string } {
  const targets: { host: string; port: number }[] = [];
  for (const entry of hosts.split(',').map((e) => e.trim()).filter(Boolean)) {
    const parsed = parseEntry(entry, defaultPort);
    if ('error' in parsed) return parsed;
    if (!targets.some((t) => t.host === parsed.host && t.port === parsed.port)) targets.push(parsed);
  }
  if (targets.length === 0) return { error: 'hosts: no host given' };
  return targets.map(({ host, port }) => ({
    name: targets.filter((t) => t.host === host).length > 1 ? hostPort(host, port) : host,
    host,
    port,
  }));
}
