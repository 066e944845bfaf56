import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';

// The launcher stays up for the platform's whole life to supervise it: what
// only start-up needs (migrations, pack registration, readiness probes) runs
// in steps of their own, so their libraries are not held all that time.

/** The modules a fresh Node process holds once it has loaded `entry`. */
function modulesLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`;
  const { stdout, stderr, status } = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (status !== 0) throw new Error(`loading ${entry} failed: ${stderr}`);
  return JSON.parse(stdout) as string[];
}

describe('the launcher', () => {
  it('holds neither the gRPC client, pg, kysely nor the pack loader', () => {
    const loaded = modulesLoadedBy(join(findRepoRoot(), 'dist/apps/launcher/src/main.js'));
    expect(loaded.length).toBeGreaterThan(10);
    const heavy = /node_modules\/(@temporalio|@grpc|pg|kysely|yaml)\/|libs\/(packs|runners)\/|libs\/db\/src\/index\.js/;
    expect(loaded.filter((file) => heavy.test(file))).toEqual([]);
  });
});
