import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

export interface CliSettings {
  apiUrl: string;
  apiKey?: string;
  /** Where the key came from, for error messages. */
  keySource: string;
}

/** `.data/admin-api-key` of the Tempest clone the command runs in, if any. */
function cloneAdminKey(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, '.data', 'admin-api-key');
    if (existsSync(join(dir, 'nx.json')) && existsSync(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * TEMPEST_API_URL and TEMPEST_API_KEY; else the config file
 * (`$XDG_CONFIG_HOME/tempest/config.yaml`: api_url, api_key); else, inside a
 * clone, the admin key that `npm start` generated.
 */
export function loadSettings(env: NodeJS.ProcessEnv, cwd: string): CliSettings {
  const configFile = join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'tempest', 'config.yaml');
  const file = existsSync(configFile) ? ((parse(readFileSync(configFile, 'utf8')) ?? {}) as { api_url?: string; api_key?: string }) : {};
  const apiUrl = env.TEMPEST_API_URL ?? file.api_url ?? 'http://localhost:9101';
  if (env.TEMPEST_API_KEY) return { apiUrl, apiKey: env.TEMPEST_API_KEY, keySource: 'TEMPEST_API_KEY' };
  if (file.api_key) return { apiUrl, apiKey: file.api_key, keySource: configFile };
  const cloneKey = cloneAdminKey(cwd);
  if (cloneKey) return { apiUrl, apiKey: readFileSync(cloneKey, 'utf8').trim(), keySource: cloneKey };
  return { apiUrl, keySource: `none: set TEMPEST_API_KEY or api_key in ${configFile}` };
}
