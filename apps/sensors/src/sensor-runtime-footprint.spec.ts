import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';

// Every sensor runs in a process of its own: what the runtime loads, each sensor pays for.
describe('the sensor runtime', () => {
  it('loads no configuration validator (zod): it reads no configuration', () => {
    const entry = join(findRepoRoot(), 'dist/apps/sensors/src/sensor-runtime.js');
    const script = `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache))); process.exit(0)`;
    const { stdout, stderr, status } = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    const loaded = JSON.parse(stdout) as string[];
    expect(loaded.some((file) => file.endsWith('sensor-runtime.js'))).toBe(true);
    expect(loaded.filter((file) => /node_modules\/zod\//.test(file))).toEqual([]);
  });
});
