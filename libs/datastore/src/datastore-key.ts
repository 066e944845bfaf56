import { readFileSync } from 'node:fs';
import { ConfigError, DATASTORE_KEY_FORM, parseDatastoreKey, type TempestConfig } from '@tempest/config';

/**
 * The datastore key from TEMPEST_DATASTORE_KEY or the file TEMPEST_DATASTORE_KEY_FILE
 * names; undefined when neither is set (secrets are then refused). A file that
 * cannot be read or holds no valid key stops start-up, naming the variable.
 */
export function loadDatastoreKey(config: TempestConfig): Buffer | undefined {
  const { key, keyFile } = config.datastore;
  if (key || !keyFile) return key;
  const problem = (what: string) => new ConfigError([`TEMPEST_DATASTORE_KEY_FILE=${JSON.stringify(keyFile)}: ${what}`]);
  let text: string;
  try {
    text = readFileSync(keyFile, 'utf8');
  } catch (error) {
    throw problem(`cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const parsed = parseDatastoreKey(text);
  if (!parsed) throw problem(DATASTORE_KEY_FORM);
  return parsed;
}
