import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * TEMPEST_ADMIN_API_KEY when set; otherwise the key generated on first start
 * and kept in `<dataDir>/admin-api-key` (mode 0600), so it survives restarts.
 */
export function resolveAdminKey(dataDir: string, configured: string | undefined): { key: string; source: string } {
  if (configured) return { key: configured, source: 'TEMPEST_ADMIN_API_KEY' };
  const file = join(dataDir, 'admin-api-key');
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    return { key: readFileSync(file, 'utf8').trim(), source: file };
  }
  const key = `tpst_${randomBytes(32).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return { key, source: file };
}
