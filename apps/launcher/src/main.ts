import { ConfigError, loadConfig } from '@tempest/config';
import { TemporalCliError } from '@tempest/temporal/dev-server';
import { LaunchError, warn } from './console';
import { start } from './start';
import { test } from './test';

/** Called by bin/tempest-dev.mjs once dependencies are installed and the build is done. */
export async function main(mode: 'start' | 'test', repoRoot: string): Promise<number> {
  try {
    const config = loadConfig(process.env);
    return mode === 'start' ? await start(repoRoot, config) : await test(repoRoot, config, process.argv.slice(3));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof LaunchError || error instanceof TemporalCliError) {
      warn(error.message);
      return 1;
    }
    throw error;
  }
}
