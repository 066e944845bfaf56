import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tempest/config';
import { findGateway, isLoopback } from './gateway';

describe(findGateway.name, () => {
  it('reads the admin key npm start wrote into an absolute TEMPEST_DATA_DIR', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-gateway-'));
    writeFileSync(join(dataDir, 'admin-api-key'), 'tpst_absolute-data-dir-key\n');
    const config = loadConfig({ TEMPEST_DATA_DIR: dataDir, TEMPEST_GATEWAY_PORT: '9301' });
    expect(findGateway(config, '/nonexistent/repo')).toEqual({ baseUrl: 'http://localhost:9301', apiKey: 'tpst_absolute-data-dir-key' });
  });
});

describe(isLoopback.name, () => {
  it.each(['http://localhost:9101', 'http://127.0.0.1:9101/', 'http://127.1.2.3', 'http://[::1]:9101'])('accepts %s', (url) => {
    expect(isLoopback(url)).toBe(true);
  });

  it.each(['http://10.0.0.5:9101', 'https://tempest.example.com', 'http://127.0.0.1.example.com', 'http://[::2]:9101'])('refuses %s', (url) => {
    expect(isLoopback(url)).toBe(false);
  });
});
