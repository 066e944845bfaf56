import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tempest/config';
import { loadDatastoreKey } from '@tempest/datastore';
import { resolveDatastoreKey } from './datastore-key';

describe(resolveDatastoreKey.name, () => {
  it('generates a key on first start, stores it with mode 0600, and passes the file on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-dskey-'));
    const file = join(dir, 'datastore-key');
    const first = resolveDatastoreKey(dir, loadConfig({}));
    expect(first).toEqual({ env: { TEMPEST_DATASTORE_KEY_FILE: file }, source: file, key: expect.any(Buffer) });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = loadDatastoreKey(loadConfig(first.env));
    expect(key).toHaveLength(32);
    expect(first.key).toEqual(key);
    expect(resolveDatastoreKey(dir, loadConfig({}))).toEqual(first);
    expect(loadDatastoreKey(loadConfig(first.env))).toEqual(key);
    expect(readFileSync(file, 'utf8').trim()).toBe(key!.toString('base64'));
  });

  it('uses the configured key, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-dskey-'));
    expect(resolveDatastoreKey(dir, loadConfig({ TEMPEST_DATASTORE_KEY: 'ab'.repeat(32) }))).toEqual({ env: {}, source: 'TEMPEST_DATASTORE_KEY', key: Buffer.alloc(32, 0xab) });
    expect(() => statSync(join(dir, 'datastore-key'))).toThrow();
  });

  it('stops start-up on a bad key file, naming the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-dskey-'));
    writeFileSync(join(dir, 'mine'), 'short');
    expect(() => resolveDatastoreKey(dir, loadConfig({ TEMPEST_DATASTORE_KEY_FILE: join(dir, 'mine') }))).toThrow(/^invalid configuration:\n {2}- TEMPEST_DATASTORE_KEY_FILE=".*\/mine": expected 32 bytes/);
    writeFileSync(join(dir, 'datastore-key'), 'corrupted');
    expect(() => resolveDatastoreKey(dir, loadConfig({}))).toThrow(/TEMPEST_DATASTORE_KEY_FILE=".*\/datastore-key": expected 32 bytes/);
  });
});
