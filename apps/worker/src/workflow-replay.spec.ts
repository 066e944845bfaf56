import { Worker } from '@temporalio/worker';
import { findRepoRoot } from '@tempest/config';
import { historiesDir, readHistoryFixtures } from './history-fixtures';
import { workflowBundlePath } from './workflow-bundle';

// Executions that were running when the workflow code changed go on under the
// new code: each saved history (libs/workflows/src/histories) must replay
// against the bundle this build made, or a change was not behind patched().
describe('workflow histories saved from earlier code', () => {
  const repoRoot = findRepoRoot();
  const histories = readHistoryFixtures(historiesDir(repoRoot));

  it('include every way an execution ends', () => {
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining([
        ...['succeeded', 'failed', 'retried', 'canceled', 'timed-out', 'canceled-in-retry-delay', 'worker-lost'].map((name) => `v1-${name}`),
        // Recorded under the attempt-outcome and cancel-in-retry-delay patches.
        'v2-canceled-in-retry-delay',
        'v2-worker-lost-after-start',
        'v2-worker-lost-before-start',
        // conductedWorkflow (Orquesta, ActionChain) with its child executions.
        ...['chain-succeeded', 'chain-failed', 'chain-canceled', 'orquesta-split-items-join'].map((name) => `c1-${name}`),
        // Under the child-search-attributes patch: each task's workflow tagged like a top-level one.
        ...['chain-succeeded', 'chain-failed', 'chain-canceled', 'orquesta-split-items-join'].map((name) => `c2-${name}`),
        // Recorded under the child-row-local patch: each task's child row written by a local activity.
        ...['chain-succeeded', 'chain-failed', 'chain-canceled', 'orquesta-split-items-join'].map((name) => `c3-${name}`),
        // Under both patches.
        ...['chain-succeeded', 'chain-failed', 'chain-canceled', 'orquesta-split-items-join'].map((name) => `c4-${name}`),
        // inquiryExecution (core.ask): answered, canceled, timed out.
        ...['inquiry-answered', 'inquiry-canceled', 'inquiry-timed-out'].map((name) => `i1-${name}`),
        // Under the pause-resume and cancel-in-delay patches as well, with a workflow and its sub-workflow paused and
        // resumed, one paused then canceled, one paused by its sub-workflow, and one canceled while its task waits on its delay.
        ...['chain-succeeded', 'chain-failed', 'chain-canceled', 'orquesta-split-items-join'].map((name) => `c5-${name}`),
        ...['orquesta-paused-resumed', 'orquesta-paused-resumed-subworkflow', 'orquesta-paused-canceled', 'orquesta-paused-by-subworkflow', 'orquesta-canceled-in-delay'].map((name) => `c5-${name}`),
        // packWorkflow, running the example TypeScript workflow (its own histories: pack-workflow-replay.spec.ts); t2: under
        // pack-workflow-pause-resume, paused and resumed, and paused by on-call's question.
        ...['below-threshold', 'still-full', 'canceled-settling'].map((name) => `t1-remediate-host-${name}`),
        ...['below-threshold', 'paused-resumed', 'still-full', 'declined', 'canceled-asking', 'canceled-settling', 'paused-by-orquesta'].map((name) => `t2-remediate-host-${name}`),
        // An Orquesta workflow under pause-pack-sub-workflows, paused and resumed while its task runs the example.
        't2-orquesta-paused-resumed-with-remediate-host',
        // Under inquiry-pauses-parent: alone, and as the task of a workflow it pauses (with that workflow's history).
        ...['inquiry-answered', 'inquiry-canceled', 'inquiry-timed-out', 'workflow-answered', 'workflow-answered-inquiry', 'workflow-canceled', 'workflow-canceled-inquiry'].map((name) => `i2-${name}`),
      ]),
    );
  });

  it('replay against the current workflow code without nondeterminism', async () => {
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: workflowBundlePath(repoRoot) } }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
