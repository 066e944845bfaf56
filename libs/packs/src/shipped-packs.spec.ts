import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { loadPacks } from './pack-loader';
import { formatProblem } from './yaml-file';

// The content Tempest ships must load without a single problem.
describe('packs/', () => {
  it('loads every shipped pack cleanly', async () => {
    const { packs, failed } = await loadPacks(join(findRepoRoot(), 'packs'));
    expect(failed.flatMap((f) => f.problems.map(formatProblem))).toEqual([]);
    expect(packs.map((p) => p.pack.ref)).toContain('core');
    const core = packs.find((p) => p.pack.ref === 'core')!;
    expect(core.actions.map((a) => a.name).sort()).toEqual(['announcement', 'ask', 'echo', 'error', 'http', 'inject_trigger', 'local', 'local_sudo', 'noop', 'pause', 'remote', 'remote_sudo', 'sendmail', 'uuid']);
  });
});
