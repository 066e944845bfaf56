import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { findRepoRoot } from '@tempest/config';
import { TEMPORAL_WORKFLOW_RUNNER } from '@tempest/domain';
import { loadActions } from '@tempest/packs';
import { packHistoriesDir, readHistoryFixtures } from './history-fixtures';
import { bundlePackWorkflows, packIndexSource } from './pack-workflows/pack-bundle';
import { packWorkflowEntry } from './pack-workflows/pack-workflow.activities';

// The example pack's TypeScript workflow, and the workflow SDK under it, must
// replay the histories of executions that ran on earlier code: bundled as the
// worker bundles a pack, from packs/examples as it is now.
describe('TypeScript workflow histories of packs/examples', () => {
  const repoRoot = findRepoRoot();
  const histories = readHistoryFixtures(packHistoriesDir(repoRoot, 'examples'));
  const work = mkdtempSync(join(tmpdir(), 'tempest-pack-replay-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // t1's runs that cleaned no longer replay on the example, which now asks on-call first: they were removed (their
  // executions replay on the bundle they started on, kept by the worker, not on this one).
  it('include runs below the threshold, paused and resumed (by itself or by an Orquesta parent), approved then still full, declined, canceled while asking or during its durable wait', () => {
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining([
        't1-remediate-host-below-threshold',
        ...['below-threshold', 'paused-resumed', 'still-full', 'declined', 'canceled-asking', 'canceled-settling', 'paused-by-orquesta'].map((name) => `t2-remediate-host-${name}`),
      ]),
    );
  });

  it('replay against the examples pack bundle without nondeterminism', async () => {
    const packDir = join(repoRoot, 'packs/examples');
    const { actions, problems } = await loadActions(packDir, 'examples', repoRoot);
    expect(problems).toEqual([]);
    const entries = actions.filter((a) => a.runnerType === TEMPORAL_WORKFLOW_RUNNER).map((a) => packWorkflowEntry({ name: a.name, entry_point: a.entryPoint ?? null, parameters: a.parameters }));
    expect(entries).toEqual([{ name: 'remediate_host', entryPoint: 'workflows/remediate_host.ts', exportName: 'remediateHost' }]);
    const index = join(work, 'index.ts');
    writeFileSync(index, packIndexSource(packDir, 'examples', entries));
    const code = await bundlePackWorkflows(repoRoot, index);
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { code } }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
