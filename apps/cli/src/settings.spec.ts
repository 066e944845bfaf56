import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings } from './settings';

describe(loadSettings.name, () => {
  const empty = mkdtempSync(join(tmpdir(), 'tempest-cli-'));

  it('defaults to the local gateway without a key', () => {
    const sut = loadSettings({ XDG_CONFIG_HOME: empty }, empty);
    expect(sut.apiUrl).toBe('http://localhost:9101');
    expect(sut.apiKey).toBeUndefined();
    expect(sut.keySource).toMatch(/^none: set TEMPEST_API_KEY/);
  });

  it('prefers the environment, then the config file', () => {
    const config = mkdtempSync(join(tmpdir(), 'tempest-cli-'));
    mkdirSync(join(config, 'tempest'));
    writeFileSync(join(config, 'tempest', 'config.yaml'), 'api_url: http://tempest.internal:9101\napi_key: from-file\n');
    expect(loadSettings({ XDG_CONFIG_HOME: config }, empty)).toMatchObject({ apiUrl: 'http://tempest.internal:9101', apiKey: 'from-file' });
    expect(loadSettings({ XDG_CONFIG_HOME: config, TEMPEST_API_KEY: 'from-env' }, empty)).toMatchObject({ apiKey: 'from-env', keySource: 'TEMPEST_API_KEY' });
  });

  it('uses the admin key npm start generated when run inside a clone', () => {
    const clone = mkdtempSync(join(tmpdir(), 'tempest-clone-'));
    writeFileSync(join(clone, 'nx.json'), '{}');
    mkdirSync(join(clone, '.data'));
    writeFileSync(join(clone, '.data', 'admin-api-key'), 'tpst_generated\n');
    mkdirSync(join(clone, 'apps'));
    expect(loadSettings({ XDG_CONFIG_HOME: empty }, join(clone, 'apps'))).toMatchObject({ apiKey: 'tpst_generated' });
  });
});
