import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TempestConfig } from '@tempest/config';
import { loadDatastoreKey } from '@tempest/datastore';

/**
 * The datastore key the services get: TEMPEST_DATASTORE_KEY or _FILE when set
 * (checked here, so a bad one stops `npm start` before anything runs), otherwise
 * a key generated on first start into `<dataDir>/datastore-key` (mode 0600) and
 * kept, since losing it makes every stored secret unreadable. Returns the
 * variables to pass to the services (the file's path, never the key itself), and
 * the key, which seals the packs' configs this process registers.
 */
export function resolveDatastoreKey(dataDir: string, config: TempestConfig): { env: Record<string, string>; source: string; key: Buffer } {
  if (config.datastore.key) return { env: {}, source: 'TEMPEST_DATASTORE_KEY', key: config.datastore.key };
  if (config.datastore.keyFile) return { env: {}, source: config.datastore.keyFile, key: loadDatastoreKey(config)! };
  const file = join(dataDir, 'datastore-key');
  if (existsSync(file)) chmodSync(file, 0o600);
  else writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { env: { TEMPEST_DATASTORE_KEY_FILE: file }, source: file, key: loadDatastoreKey({ ...config, datastore: { keyFile: file } })! };
}
