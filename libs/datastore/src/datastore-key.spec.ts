import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@tempest/config';
import { loadDatastoreKey } from './datastore-key';

describe(loadDatastoreKey.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tempest-dskey-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text, { mode: 0o600 });
    return join(dir, name);
  };

  it('takes the key from the variable, or from the file it names', () => {
    const key = randomBytes(32);
    expect(loadDatastoreKey(loadConfig({ TEMPEST_DATASTORE_KEY: key.toString('hex') }))).toEqual(key);
    expect(loadDatastoreKey(loadConfig({ TEMPEST_DATASTORE_KEY_FILE: file('good', `${key.toString('base64')}\n`) }))).toEqual(key);
    expect(loadDatastoreKey(loadConfig({}))).toBeUndefined();
  });

  it('stops start-up on a missing or malformed key file, naming the variable and not the content', () => {
    const missing = join(dir, 'missing');
    expect(() => loadDatastoreKey(loadConfig({ TEMPEST_DATASTORE_KEY_FILE: missing }))).toThrow(`TEMPEST_DATASTORE_KEY_FILE="${missing}": cannot read it (ENOENT)`);
    const bad = file('bad', 'not-a-key-at-all');
    expect(() => loadDatastoreKey(loadConfig({ TEMPEST_DATASTORE_KEY_FILE: bad }))).toThrow(ConfigError);
    expect(() => loadDatastoreKey(loadConfig({ TEMPEST_DATASTORE_KEY_FILE: bad }))).toThrow(/expected 32 bytes as 64 hex digits or base64/);
    expect(() => loadDatastoreKey(loadConfig({ TEMPEST_DATASTORE_KEY_FILE: bad }))).not.toThrow(/not-a-key-at-all/);
  });
});
