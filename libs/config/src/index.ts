export { ConfigError, loadConfig, requireDatabaseUrl, configVariables } from './config';
export type { TempestConfig, ConfigVariable } from './config';
export { findRepoRoot } from './repo-root';
