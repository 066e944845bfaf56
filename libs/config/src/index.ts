export { ConfigError, loadConfig, requireDatabaseUrl, configVariables } from './config';
export type { TempestConfig, ConfigVariable } from './config';
export { findRepoRoot } from './repo-root';
export { DATASTORE_KEY_FORM, parseDatastoreKey } from './datastore-key';
