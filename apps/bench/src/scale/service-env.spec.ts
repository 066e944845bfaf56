import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tempest/config';
import { launcherServiceEnv } from './service-env';

describe(launcherServiceEnv.name, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-service-env-'));
  writeFileSync(join(dataDir, 'admin-api-key'), 'tpst_kept-by-npm-start-0123\n');
  writeFileSync(join(dataDir, 'datastore-key'), `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 });

  it('gives the services what npm start gives them: its env, the servers, the kept admin key and datastore key file', async () => {
    const env = { TEMPEST_DATA_DIR: dataDir, DATABASE_URL: 'postgres://u:p@127.0.0.1:5999/tempest', TEMPEST_TEMPORAL_PORT: '7999', PATH: '/usr/bin' };
    expect(await launcherServiceEnv(loadConfig(env), '/repo', env)).toEqual({
      ...env,
      TEMPORAL_ADDRESS: '127.0.0.1:7999',
      TEMPEST_ADMIN_API_KEY: 'tpst_kept-by-npm-start-0123',
      TEMPEST_DATASTORE_KEY_FILE: join(dataDir, 'datastore-key'),
    });
  });

  it('keeps an external Temporal, and the keys the environment already sets', async () => {
    const env = {
      TEMPEST_DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://u:p@db:5432/tempest',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPEST_ADMIN_API_KEY: 'tpst_from-the-environment',
      TEMPEST_DATASTORE_KEY: Buffer.alloc(32, 9).toString('base64'),
    };
    expect(await launcherServiceEnv(loadConfig(env), '/repo', env)).toEqual({ ...env });
  });
});
