import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TempestConfig } from '@tempest/config';

export interface GatewayAddress {
  baseUrl: string;
  apiKey?: string;
}

/**
 * The running gateway, found as the `tempest` CLI finds it: TEMPEST_API_URL
 * and TEMPEST_API_KEY, else the public URL and the admin key `npm start` wrote.
 */
export function findGateway(config: TempestConfig, repoRoot: string): GatewayAddress {
  // resolve, as the launcher does: TEMPEST_DATA_DIR may be absolute.
  const keyFile = join(resolve(repoRoot, config.dataDir), 'admin-api-key');
  const apiKey = config.apiKey ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  return { baseUrl: (config.apiUrl ?? config.gateway.publicUrl).replace(/\/$/, ''), apiKey };
}

/** True for localhost, 127.0.0.0/8 and ::1: the only gateways a load benchmark may hit. */
export function isLoopback(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
