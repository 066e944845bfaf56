import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveAdminKey } from './admin-key';

describe(resolveAdminKey.name, () => {
  it('generates a key on first use, stores it with mode 0600, and returns the same one afterwards', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-key-'));
    const first = resolveAdminKey(dir, undefined);
    expect(first.key).toMatch(/^tpst_[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dir, 'admin-api-key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'admin-api-key'), 'utf8').trim()).toBe(first.key);
    expect(resolveAdminKey(dir, undefined).key).toBe(first.key);
  });

  it('uses TEMPEST_ADMIN_API_KEY when set, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tempest-key-'));
    expect(resolveAdminKey(dir, 'my-own-admin-key-123')).toEqual({ key: 'my-own-admin-key-123', source: 'TEMPEST_ADMIN_API_KEY' });
    expect(() => statSync(join(dir, 'admin-api-key'))).toThrow();
  });
});
