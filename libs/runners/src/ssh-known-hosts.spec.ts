import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostKeyPolicy, knownHostsName } from './ssh-known-hosts';

/** A key blob as it travels on the wire: the type as an SSH string, then key bytes. */
function blob(type: string, seed: string): Buffer {
  const name = Buffer.from(type);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([length, name, Buffer.from(seed.padEnd(32, '.'))]);
}

describe(hostKeyPolicy.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tempest-known-hosts-'));
  const web = blob('ssh-ed25519', 'web');
  const rsa = blob('ssh-rsa', 'rsa');
  const other = blob('ssh-ed25519', 'other');
  const file = (lines: string[]) => {
    const path = join(dir, `known_hosts-${Math.random().toString(36).slice(2)}`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  const line = (names: string, key: Buffer, marker = '') => `${marker}${marker ? ' ' : ''}${names} ${key.subarray(4, 4 + key.readUInt32BE(0)).toString()} ${key.toString('base64')} comment`;

  it('names hosts off port 22 as [host]:port', () => {
    expect(knownHostsName('web-1', 22)).toBe('web-1');
    expect(knownHostsName('web-1', 2222)).toBe('[web-1]:2222');
  });

  it('accepts the known key of a host named plainly, by pattern or hashed, and asks for its types first', async () => {
    const salt = Buffer.from('salt-salt-salt-salt!');
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('db-1').digest('base64')}`;
    const path = file(['# comment', '', line('web-1,web-1.example.com', web), line('*.internal,!bad.internal', web), line(hashed, rsa), line('[web-1]:2222', other)]);
    const sut = await hostKeyPolicy(path, 'web-1', 22);
    expect(sut.check(web)).toBeUndefined();
    expect(sut.preferredAlgorithms).toEqual(['ssh-ed25519']);
    expect((await hostKeyPolicy(path, 'app.internal', 22)).check(web)).toBeUndefined();
    expect((await hostKeyPolicy(path, 'bad.internal', 22)).check(web)).toMatch(/is unknown: it is not in/);
    const db = await hostKeyPolicy(path, 'db-1', 22);
    expect(db.check(rsa)).toBeUndefined();
    expect(db.preferredAlgorithms).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect((await hostKeyPolicy(path, 'web-1', 2222)).check(other)).toBeUndefined();
  });

  it('tells an unknown host from a changed key, and refuses a revoked key anywhere', async () => {
    const path = file([line('web-1', web), line('*', other, '@revoked')]);
    expect((await hostKeyPolicy(path, 'web-1', 22)).check(other)).toMatch(/^the host key of web-1 \(ssh-ed25519 SHA256:\S+\) is marked @revoked in /);
    expect((await hostKeyPolicy(path, 'web-1', 22)).check(rsa)).toMatch(/^the host key of web-1 \(ssh-rsa SHA256:\S+\) does not match the one .* has for it/);
    expect((await hostKeyPolicy(path, 'web-2', 2200)).check(web)).toMatch(/^the host key of \[web-2\]:2200 \(ssh-ed25519 SHA256:\S+\) is unknown: .*ssh-keyscan -p 2200 web-2 >> /);
  });
});
