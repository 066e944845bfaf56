import { ConfigError, loadConfig } from './config';

describe(loadConfig.name, () => {
  it('applies the documented defaults to an empty environment', () => {
    const sut = loadConfig({});
    expect(sut.gateway).toEqual({ host: '127.0.0.1', port: 9101, publicUrl: 'http://localhost:9101' });
    expect(sut.temporal).toMatchObject({ address: 'localhost:7233', namespace: 'default', taskQueue: 'tempest-actions', tls: false });
    expect(sut.embedded).toEqual({ postgresPort: 5433, temporalPort: 7233, temporalUiPort: 8233 });
    expect(sut.databaseUrl).toBeUndefined();
    expect([sut.packsDir, sut.configsDir]).toEqual(['packs', 'configs']);
  });

  it('reads typed values', () => {
    const sut = loadConfig({ TEMPEST_GATEWAY_PORT: '8080', TEMPORAL_TLS: 'yes', DATABASE_URL: 'postgres://u:p@db:5432/tempest' });
    expect(sut.gateway.port).toBe(8080);
    expect(sut.temporal.tls).toBe(true);
    expect(sut.databaseUrl).toBe('postgres://u:p@db:5432/tempest');
  });

  it('links to the embedded Temporal Web on its port, unless TEMPORAL_WEB_URL says where it is', () => {
    expect(loadConfig({}).temporal.webUrl).toBe('http://localhost:8233');
    expect(loadConfig({ TEMPEST_TEMPORAL_UI_PORT: '18233' }).temporal.webUrl).toBe('http://localhost:18233');
    expect(loadConfig({ TEMPEST_TEMPORAL_UI_PORT: '18233', TEMPORAL_WEB_URL: 'https://temporal.example.com' }).temporal.webUrl).toBe('https://temporal.example.com');
  });

  it('names a malformed variable and the form it expects', () => {
    expect(() => loadConfig({ TEMPEST_GATEWAY_PORT: 'eighty' })).toThrow(/TEMPEST_GATEWAY_PORT="eighty": expected/);
    expect(() => loadConfig({ TEMPEST_GATEWAY_PORT: '70000' })).toThrow(/TEMPEST_GATEWAY_PORT="70000": expected a port from 1 to 65535/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL="mysql:\/\/x": expected postgres:\/\//);
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'localhost' })).toThrow(/TEMPORAL_ADDRESS="localhost": expected host:port/);
    expect(() => loadConfig({ TEMPEST_LOG_LEVEL: 'loud' })).toThrow(/TEMPEST_LOG_LEVEL="loud"/);
  });

  it('rejects an unknown TEMPEST_ variable, which is usually a typo', () => {
    expect(() => loadConfig({ TEMPEST_GATEWAY_PROT: '9101' })).toThrow(/TEMPEST_GATEWAY_PROT: unknown variable/);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ TEMPEST_GATEWAY_PORT: 'x', TEMPEST_TEMPORAL_PORT: 'y' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });

  it('refuses half a mutual-TLS pair', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT: '/c.pem' })).toThrow(/set both/);
  });

  it('reads the datastore key as hex or base64, and refuses anything but 32 bytes without echoing it', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({ TEMPEST_DATASTORE_KEY: key.toString('hex') }).datastore.key).toEqual(key);
    expect(loadConfig({ TEMPEST_DATASTORE_KEY: key.toString('base64') }).datastore.key).toEqual(key);
    expect(loadConfig({ TEMPEST_DATASTORE_KEY_FILE: '/etc/tempest/key' }).datastore).toEqual({ key: undefined, keyFile: '/etc/tempest/key' });
    const short = Buffer.alloc(16, 7).toString('base64');
    expect(() => loadConfig({ TEMPEST_DATASTORE_KEY: short })).toThrow(/TEMPEST_DATASTORE_KEY: expected 32 bytes as 64 hex digits or base64/);
    expect(() => loadConfig({ TEMPEST_DATASTORE_KEY: short })).not.toThrow(short);
    expect(() => loadConfig({ TEMPEST_DATASTORE_KEY: key.toString('hex'), TEMPEST_DATASTORE_KEY_FILE: '/k' })).toThrow(/set one of them, not both/);
  });

  it('reads the folders packs may be installed from, absolute only', () => {
    expect(loadConfig({}).packInstallRoots).toEqual([]);
    expect(loadConfig({ TEMPEST_PACK_INSTALL_ROOTS: '/srv/packs:/opt/content' }).packInstallRoots).toEqual(['/srv/packs', '/opt/content']);
    expect(() => loadConfig({ TEMPEST_PACK_INSTALL_ROOTS: '/srv/packs:content' })).toThrow(/TEMPEST_PACK_INSTALL_ROOTS="\/srv\/packs:content": expected absolute folders separated by ":", got "content"/);
  });

  it('bounds the statement timeout and the trigger instance lease, with defaults', () => {
    expect(loadConfig({})).toMatchObject({ statementTimeoutSeconds: 60, triggerInstanceLeaseSeconds: 60, sshKnownHosts: undefined });
    expect(() => loadConfig({ TEMPEST_STATEMENT_TIMEOUT_SECONDS: '0' })).toThrow(/TEMPEST_STATEMENT_TIMEOUT_SECONDS="0": expected at least 1 second/);
    expect(() => loadConfig({ TEMPEST_TRIGGER_INSTANCE_LEASE_SECONDS: 'soon' })).toThrow(/TEMPEST_TRIGGER_INSTANCE_LEASE_SECONDS="soon": expected seconds/);
  });

  it('ignores empty values, as shells export them', () => {
    expect(loadConfig({ TEMPEST_GATEWAY_PORT: '' }).gateway.port).toBe(9101);
  });
});
