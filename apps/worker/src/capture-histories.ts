import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { NativeConnection, Worker } from '@temporalio/worker';
import { findRepoRoot } from '@tempest/config';
import { ActionRepository, ActionTokenRepository, ExecutionRepository, KeyValuePairRepository, PackConfigRepository, TriggerInstanceRepository } from '@tempest/db';
import { DatastoreService } from '@tempest/datastore';
import { registerPacks } from '@tempest/packs';
import { executionSearchAttributes } from '@tempest/temporal';
import { createTestDatabase, eventually, testConfig, uniqueName } from '@tempest/testing';
import type { ActionExecutionInput, ExecutionActivities } from '@tempest/workflows';
import { createConductorActivities, createExecutionActivities, createInquiryActivities } from '@tempest/runners';
import { createLogger } from '@tempest/logging';
import { writeFlowsPacks } from './flows-pack';
import { historiesDir, historyToFixture, packHistoriesDir } from './history-fixtures';
import { createTempestWorker } from './worker';
import { workflowBundlePath } from './workflow-bundle';

/**
 * Records the workflow histories the replay test (workflow-replay.spec.ts)
 * replays against the current workflow code: real runs of `actionExecution`
 * on the test servers, one per way an execution can end. Run it when a new
 * kind of history appears (a patched branch worth pinning), never to
 * overwrite the old ones: they are what running executions look like.
 *
 *   npx nx run worker:build && source /work/tools/testenv.sh (or export TEST_POSTGRES_URL, TEST_TEMPORAL_ADDRESS)
 *   node dist/apps/worker/src/capture-histories.js [prefix]
 *
 * Files are written to libs/workflows/src/histories/<prefix><case>.json.
 * (v1- was recorded before the worker-lost cases were split in two: its
 * `worker-lost` is the worker that died before starting the action.)
 */
async function main(prefix: string): Promise<void> {
  const repoRoot = findRepoRoot();
  const outDir = historiesDir(repoRoot);
  mkdirSync(outDir, { recursive: true });
  const config = testConfig();
  const database = await createTestDatabase();
  const executions = new ExecutionRepository(database.db);
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const workerConnection = await NativeConnection.connect({ address: config.temporal.address });
  const taskQueue = uniqueName('tempest-histories');
  const lostQueue = uniqueName('tempest-histories-lost');
  const lostBeforeStartQueue = uniqueName('tempest-histories-lost-before-start');
  const real = createExecutionActivities({
    db: database.db,
    executions,
    packConfigs: new PackConfigRepository(database.db),
    tokens: new ActionTokenRepository(database.db),
    apiUrl: 'http://127.0.0.1:9',
    packsDir: mkdtempSync(join(tmpdir(), 'tempest-packs-')),
  });
  // Says nothing more, as a killed worker does.
  const silence = () => new Promise<never>((_, reject) => Context.current().cancellationSignal.addEventListener('abort', () => reject(new Error('worker gone'))));
  // Dies after starting the action: its outcome is unknown.
  const lost: ExecutionActivities = {
    ...real,
    runAction: async (input) => {
      await executions.claimAttempt(input.executionId, input.attempt, input.dispatch ?? 1);
      return silence();
    },
  };
  // Dies before starting the action, the first time it is handed out.
  const lostBeforeStart: ExecutionActivities = { ...real, runAction: (input) => ((input.dispatch ?? 1) === 1 ? silence() : real.runAction(input)) };
  const workers = await Promise.all(
    [
      [taskQueue, real],
      [lostQueue, lost],
      [lostBeforeStartQueue, lostBeforeStart],
    ].map(([queue, activities]) => Worker.create({ connection: workerConnection, taskQueue: queue as string, workflowBundle: { codePath: workflowBundlePath(repoRoot) }, activities: activities as ExecutionActivities })),
  );

  async function start(queue: string, parameters: Record<string, unknown>, retry?: ActionExecutionInput['retry']): Promise<WorkflowHandle> {
    const id = randomUUID();
    await executions.create({ id, actionRef: 'core.local', pack: 'core', runnerType: 'local-shell-cmd', parameters, secrets: {}, context: { user: 'admin', source: 'api' } });
    const input: ActionExecutionInput = { executionId: id, action: { ref: 'core.local', pack: 'core', runnerType: 'local-shell-cmd' }, parameters, timeoutSeconds: Number(parameters.timeout ?? 60), retry };
    return client.workflow.start('actionExecution', { taskQueue: queue, workflowId: id, args: [input] });
  }
  async function save(name: string, handle: WorkflowHandle): Promise<void> {
    await handle.result().catch(() => undefined);
    const history = await handle.fetchHistory();
    writeFileSync(join(outDir, `${prefix}${name}.json`), historyToFixture(history));
    process.stdout.write(`saved ${prefix}${name}.json (${history.events?.length} events)\n`);
  }
  async function runningOutput(handle: WorkflowHandle, text: string): Promise<void> {
    await eventually(async () => (await executions.getOutput(handle.workflowId)).some((c) => c.data.includes(text)), `output "${text}" of ${handle.workflowId}`, 20_000);
  }

  const run = Promise.all(workers.map((w) => w.run()));
  try {
    await save('succeeded', await start(taskQueue, { cmd: 'echo done' }));
    await save('failed', await start(taskQueue, { cmd: 'echo broken >&2; exit 3' }));
    const dir = mkdtempSync(join(tmpdir(), 'tempest-retry-'));
    const flaky = `if [ -f ${dir}/once ]; then echo second; else touch ${dir}/once; echo first; exit 1; fi`;
    await save('retried', await start(taskQueue, { cmd: flaky }, { retryOn: 'failure', maxRetryCount: 2, delaySeconds: 1 }));
    await save('timed-out', await start(taskQueue, { cmd: 'sleep 30', timeout: 1 }));
    const canceled = await start(taskQueue, { cmd: 'echo started; sleep 30', timeout: 60 });
    await runningOutput(canceled, 'started');
    await canceled.cancel();
    await save('canceled', canceled);
    // Canceled while waiting between retries: the workflow as it was before it handled this.
    const inDelay = await start(taskQueue, { cmd: 'echo attempt; exit 1' }, { retryOn: 'failure', maxRetryCount: 1, delaySeconds: 60 });
    await runningOutput(inDelay, 'attempt');
    await eventually(async () => (await inDelay.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes) ?? false, 'the retry timer', 20_000);
    await inDelay.cancel();
    await save('canceled-in-retry-delay', inDelay);
    // The worker running the action stops heartbeating (15 s each): after the action started, and before.
    await Promise.all([
      start(lostQueue, { cmd: 'sleep 1', timeout: 60 }).then((handle) => save('worker-lost-after-start', handle)),
      start(lostBeforeStartQueue, { cmd: 'echo ran', timeout: 60 }).then((handle) => save('worker-lost-before-start', handle)),
    ]);
  } finally {
    for (const worker of workers) worker.shutdown();
    await run;
    await workerConnection.close();
    await connection.close();
    await database.drop();
  }
}

/**
 * `conducted` mode: real runs of `conductedWorkflow` (Orquesta and ActionChain,
 * with their child executions) on the flows pack of conducted-workflow.spec.ts.
 *
 *   node dist/apps/worker/src/capture-histories.js c1- conducted
 *
 * (c1- was recorded before the `child-search-attributes` patch, with no search attributes on the workflow.)
 * `paused` mode records the same, then a workflow with a sub-workflow paused and
 * resumed, one paused then canceled, one paused by its sub-workflow, and one
 * canceled while its task waits on its delay (c5-: `capture-histories.js c5- paused`).
 */
async function captureConducted(prefix: string, withPauses: boolean, policiesOnly = false): Promise<void> {
  const repoRoot = findRepoRoot();
  const outDir = historiesDir(repoRoot);
  const config = testConfig();
  const database = await createTestDatabase();
  const executions = new ExecutionRepository(database.db);
  const packsDir = mkdtempSync(join(tmpdir(), 'tempest-flows-'));
  writeFlowsPacks(packsDir);
  const registered = await registerPacks(database.db, packsDir);
  if (registered.problems.length > 0) throw new Error(`the flows pack did not register: ${registered.problems.join('; ')}`);
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const workerConnection = await NativeConnection.connect({ address: config.temporal.address });
  const taskQueue = uniqueName('tempest-histories-conducted');
  const packConfigs = new PackConfigRepository(database.db);
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    workflowBundle: { codePath: workflowBundlePath(repoRoot) },
    activities: {
      ...createExecutionActivities({ db: database.db, executions, packConfigs, tokens: new ActionTokenRepository(database.db), apiUrl: 'http://127.0.0.1:9', packsDir }),
      ...createConductorActivities({ executions, actions: new ActionRepository(database.db), packConfigs, datastore: new DatastoreService(new KeyValuePairRepository(database.db), undefined), packsDir, db: database.db }),
    },
  });
  async function start(name: string, runnerType: string, entryPoint: string, parameters: Record<string, unknown>, concurrency?: ActionExecutionInput['concurrency']): Promise<WorkflowHandle> {
    const id = randomUUID();
    const ref = `flows.${name}`;
    await executions.create({ id, actionRef: ref, pack: 'flows', runnerType, parameters, secrets: {}, context: { user: 'admin', source: 'api' } });
    const input: ActionExecutionInput = { executionId: id, action: { ref, pack: 'flows', runnerType, entryPoint }, parameters, timeoutSeconds: 600, ...(concurrency ? { concurrency } : {}) };
    // Tagged as the gateway tags it, so its children's attributes (the `child-search-attributes` patch) show in the history.
    const typedSearchAttributes = executionSearchAttributes({ actionRef: ref, pack: 'flows', user: 'admin' });
    return client.workflow.start('conductedWorkflow', { taskQueue, workflowId: id, args: [input], typedSearchAttributes });
  }
  async function save(name: string, handle: WorkflowHandle): Promise<void> {
    await handle.result().catch(() => undefined);
    const history = await handle.fetchHistory();
    writeFileSync(join(outDir, `${prefix}${name}.json`), historyToFixture(history));
    process.stdout.write(`saved ${prefix}${name}.json (${history.events?.length} events)\n`);
  }
  const statusIs = (id: string, status: string) => eventually(async () => (await executions.getById(id))?.status === status, `${id} ${status}`, 30_000);
  /** The sub-workflow `inner` of a pausable run, once its gate and the parent's run. */
  async function pausableStarted(handle: WorkflowHandle): Promise<string> {
    return eventually(
      async () => {
        const tasks = await executions.search({ parent: handle.workflowId, limit: 10, offset: 0 });
        const inner = tasks.find((t) => t.context.task === 'inner' && t.status === 'running');
        if (!inner || !tasks.some((t) => t.context.task === 'gate' && t.status === 'running')) return undefined;
        return (await executions.search({ parent: inner.id, limit: 10, offset: 0 })).some((t) => t.status === 'running') ? inner.id : undefined;
      },
      'both gates running',
      30_000,
    );
  }
  /** Pause and resume (workflow-pause.spec.ts's cases), signalled as the gateway does, with the sub-workflow's history too. */
  async function capturePauses(): Promise<void> {
    const resumedDir = mkdtempSync(join(tmpdir(), 'tempest-pause-'));
    const resumed = await start('pausable', 'orquesta', 'workflows/pausable.yaml', { dir: resumedDir });
    const inner = await pausableStarted(resumed);
    await resumed.signal('pause');
    writeFileSync(join(resumedDir, 'go'), '');
    await statusIs(resumed.workflowId, 'paused');
    await resumed.signal('resume');
    await save('orquesta-paused-resumed', resumed);
    await save('orquesta-paused-resumed-subworkflow', client.workflow.getHandle(inner));

    const canceledDir = mkdtempSync(join(tmpdir(), 'tempest-pause-'));
    const canceled = await start('pausable', 'orquesta', 'workflows/pausable.yaml', { dir: canceledDir });
    await pausableStarted(canceled);
    await canceled.signal('pause');
    writeFileSync(join(canceledDir, 'go'), '');
    await statusIs(canceled.workflowId, 'paused');
    await canceled.cancel();
    await save('orquesta-paused-canceled', canceled);

    // The sub-workflow paused by itself pauses its parent once nothing else runs there; resumed, it resumes it.
    const byChildDir = mkdtempSync(join(tmpdir(), 'tempest-pause-'));
    const byChild = await start('pausable', 'orquesta', 'workflows/pausable.yaml', { dir: byChildDir });
    const pausedChild = client.workflow.getHandle(await pausableStarted(byChild));
    await pausedChild.signal('pause');
    writeFileSync(join(byChildDir, 'go'), '');
    await statusIs(byChild.workflowId, 'paused');
    await pausedChild.signal('resume');
    await save('orquesta-paused-by-subworkflow', byChild);

    const delayed = await start('delayed', 'orquesta', 'workflows/delayed.yaml', {});
    await eventually(async () => (await delayed.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes) ?? false, 'the delay timer', 30_000);
    await delayed.cancel();
    await save('orquesta-canceled-in-delay', delayed);
  }
  /** flows.sleepy_inner under an action.concurrency policy of threshold 1 (c6-: `capture-histories.js c6- conducted-policies`). */
  async function capturePolicies(): Promise<void> {
    const policy = (action: 'delay' | 'cancel') => [{ ref: `flows.sleepy_inner_${action}`, type: 'action.concurrency' as const, threshold: 1, action }];
    const sleepy = (seconds: number, action: 'delay' | 'cancel') => start('sleepy_inner', 'orquesta', 'workflows/sleepy_inner.yaml', { seconds }, policy(action));
    const holder = await sleepy(4, 'delay');
    await statusIs(holder.workflowId, 'running');
    const delayed = await sleepy(0, 'delay');
    await statusIs(delayed.workflowId, 'delayed');
    await save('orquesta-policy-canceled', await sleepy(0, 'cancel'));
    const canceledWhileDelayed = await sleepy(0, 'delay');
    await statusIs(canceledWhileDelayed.workflowId, 'delayed');
    await canceledWhileDelayed.cancel();
    await save('orquesta-policy-canceled-while-delayed', canceledWhileDelayed);
    await save('orquesta-policy-holder', holder);
    await save('orquesta-policy-delayed', delayed);
  }
  const run = worker.run();
  try {
    if (policiesOnly) return await capturePolicies();
    await save('chain-succeeded', await start('chain', 'action-chain', 'chains/chain.yaml', { name: 'tempest' }));
    await save('chain-failed', await start('broken_chain', 'action-chain', 'chains/broken.yaml', {}));
    await save('orquesta-split-items-join', await start('split', 'orquesta', 'workflows/split.yaml', { hosts: ['a', 'b', 'c'] }));
    const slow = await start('slow_chain', 'action-chain', 'chains/slow.yaml', {});
    await eventually(async () => (await executions.search({ parent: slow.workflowId, limit: 10, offset: 0 })).some((c) => c.status === 'running'), 'the first task running', 20_000);
    await slow.cancel();
    await save('chain-canceled', slow);
    if (withPauses) await capturePauses();
  } finally {
    worker.shutdown();
    await run;
    await workerConnection.close();
    await connection.close();
    await database.drop();
  }
}

/**
 * Runs of `inquiryExecution` (core.ask): answered, timed out (its TTL of one
 * minute run out: this takes a minute) and canceled while waiting.
 *
 *   node dist/apps/worker/src/capture-histories.js i1- inquiries
 *
 * Then (i2-, under `inquiry-pauses-parent`) the flows pack's `asking` workflow,
 * paused by its question, with the inquiry's own history: answered, and canceled.
 */
async function captureInquiries(prefix: string): Promise<void> {
  const repoRoot = findRepoRoot();
  const outDir = historiesDir(repoRoot);
  const config = testConfig();
  const database = await createTestDatabase();
  const executions = new ExecutionRepository(database.db);
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const workerConnection = await NativeConnection.connect({ address: config.temporal.address });
  const taskQueue = uniqueName('tempest-histories-inquiries');
  const packsDir = mkdtempSync(join(tmpdir(), 'tempest-flows-'));
  writeFlowsPacks(packsDir);
  const registered = await registerPacks(database.db, packsDir);
  if (registered.problems.length > 0) throw new Error(`the flows pack did not register: ${registered.problems.join('; ')}`);
  const packConfigs = new PackConfigRepository(database.db);
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    workflowBundle: { codePath: workflowBundlePath(repoRoot) },
    activities: {
      ...createExecutionActivities({ db: database.db, executions, packConfigs, tokens: new ActionTokenRepository(database.db), apiUrl: 'http://127.0.0.1:9', packsDir }),
      ...createInquiryActivities({ executions, triggerInstances: new TriggerInstanceRepository(database.db) }),
      ...createConductorActivities({ executions, actions: new ActionRepository(database.db), packConfigs, datastore: new DatastoreService(new KeyValuePairRepository(database.db), undefined), packsDir }),
    },
  });
  const schema = { type: 'object', properties: { continue: { type: 'boolean', required: true } } };
  async function start(ttl: number): Promise<WorkflowHandle> {
    const id = randomUUID();
    const parameters = { schema, users: [], roles: [], route: 'oncall', ttl };
    await executions.create({ id, actionRef: 'core.ask', pack: 'core', runnerType: 'inquirer', parameters, secrets: {}, context: { user: 'admin', source: 'api' } });
    const input: ActionExecutionInput = { executionId: id, action: { ref: 'core.ask', pack: 'core', runnerType: 'inquirer' }, parameters, timeoutSeconds: 600 };
    const handle = await client.workflow.start('inquiryExecution', { taskQueue, workflowId: id, args: [input] });
    await eventually(async () => (await executions.getById(id))?.status === 'pending', 'the inquiry to wait', 20_000);
    return handle;
  }
  async function save(name: string, handle: WorkflowHandle): Promise<void> {
    await handle.result().catch(() => undefined);
    const history = await handle.fetchHistory();
    writeFileSync(join(outDir, `${prefix}${name}.json`), historyToFixture(history));
    process.stdout.write(`saved ${prefix}${name}.json (${history.events?.length} events)\n`);
  }
  /** The `asking` workflow, once paused by its question, and that question. */
  async function startAsking(): Promise<[WorkflowHandle, WorkflowHandle]> {
    const id = randomUUID();
    const input: ActionExecutionInput = { executionId: id, action: { ref: 'flows.asking', pack: 'flows', runnerType: 'orquesta', entryPoint: 'workflows/asking.yaml' }, parameters: {}, timeoutSeconds: 600 };
    await executions.create({ id, actionRef: 'flows.asking', pack: 'flows', runnerType: 'orquesta', parameters: {}, secrets: {}, context: { user: 'admin', source: 'api' } });
    const typedSearchAttributes = executionSearchAttributes({ actionRef: 'flows.asking', pack: 'flows', user: 'admin' });
    const handle = await client.workflow.start('conductedWorkflow', { taskQueue, workflowId: id, args: [input], typedSearchAttributes });
    await eventually(async () => (await executions.getById(id))?.status === 'paused', 'the workflow paused by its question', 30_000);
    const [ask] = await executions.search({ parent: id, limit: 10, offset: 0 });
    return [handle, client.workflow.getHandle(ask.id)];
  }
  const run = worker.run();
  try {
    if (prefix !== 'i1-') {
      const [asking, question] = await startAsking();
      await question.executeUpdate('respondToInquiry', { args: [{ response: { continue: true }, user: 'admin' }] });
      await save('workflow-answered', asking);
      await save('workflow-answered-inquiry', question);
      const [canceled, canceledQuestion] = await startAsking();
      await canceled.cancel();
      await save('workflow-canceled', canceled);
      await save('workflow-canceled-inquiry', canceledQuestion);
    }
    const answered = await start(1440);
    await answered.executeUpdate('respondToInquiry', { args: [{ response: { continue: true }, user: 'admin' }] });
    await save('inquiry-answered', answered);
    const canceled = await start(1440);
    await canceled.cancel();
    await save('inquiry-canceled', canceled);
    await save('inquiry-timed-out', await start(1));
  } finally {
    worker.shutdown();
    await run;
    await workerConnection.close();
    await connection.close();
    await database.drop();
  }
}

/**
 * `pack` mode: real runs of the example TypeScript workflow
 * `examples.remediate_host` (packs/examples), started as the gateway starts
 * it. Each run is two histories: `packWorkflow`'s (Tempest's bundle), saved
 * with the others, and the pack function's own (`<id>/ts`, the examples
 * pack's bundle), saved under histories/packs/examples/. On-call's question
 * (since t2-) is answered through the inquiry's `respondToInquiry` update.
 *
 *   node dist/apps/worker/src/capture-histories.js t2- pack
 */
async function capturePackWorkflows(prefix: string): Promise<void> {
  const repoRoot = findRepoRoot();
  const config = testConfig();
  const database = await createTestDatabase();
  const executions = new ExecutionRepository(database.db);
  const root = mkdtempSync(join(tmpdir(), 'tempest-pack-histories-'));
  const packsDir = join(root, 'packs');
  for (const pack of ['core', 'examples']) cpSync(join(repoRoot, 'packs', pack), join(packsDir, pack), { recursive: true });
  const scratch = join(root, 'scratch');
  mkdirSync(scratch);
  // Only here, not in the pack: an Orquesta workflow whose task is the example, for a pause that reaches it.
  writeFileSync(join(packsDir, 'examples/actions/call_remediate.yaml'), 'name: call_remediate\nrunner_type: orquesta\nentry_point: workflows/call_remediate.yaml\n');
  writeFileSync(join(packsDir, 'examples/actions/workflows/call_remediate.yaml'), 'version: 1.0\ntasks:\n  remediate:\n    action: examples.remediate_host\n    input:\n      mountpoint: /tmp\n      threshold: 100\n');
  const registered = await registerPacks(database.db, packsDir);
  if (registered.problems.length > 0) throw new Error(`the packs did not register: ${registered.problems.join('; ')}`);
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const taskQueue = uniqueName('tempest-histories-pack');
  const worker = await createTempestWorker({ config, logger: createLogger('worker', 'warn'), db: database.db, packsDir, workflowBundlePath: workflowBundlePath(repoRoot), taskQueue, bundlesDir: join(root, 'bundles') });
  async function start(parameters: Record<string, unknown>): Promise<WorkflowHandle> {
    const id = randomUUID();
    const ref = 'examples.remediate_host';
    const all = { host: 'localhost', threshold: 90, cleanup_dir: scratch, older_than_minutes: 0, settle_seconds: 0, approval_ttl: 60, function: 'remediateHost', ...parameters };
    await executions.create({ id, actionRef: ref, pack: 'examples', runnerType: 'temporal-workflow', parameters: all, secrets: {}, context: { user: 'admin', source: 'api' } });
    const input: ActionExecutionInput = { executionId: id, action: { ref, pack: 'examples', runnerType: 'temporal-workflow', entryPoint: 'workflows/remediate_host.ts' }, parameters: all, timeoutSeconds: 600 };
    const typedSearchAttributes = executionSearchAttributes({ actionRef: ref, pack: 'examples', user: 'admin' });
    return client.workflow.start('packWorkflow', { taskQueue, workflowId: id, args: [input], typedSearchAttributes });
  }
  /** Saves a packWorkflow's history and its function's (`<id>/ts`), or only the history of another workflow. */
  async function save(name: string, handle: WorkflowHandle, isPackWorkflow = true): Promise<void> {
    await handle.result().catch(() => undefined);
    const saved: [string, string][] = [[historiesDir(repoRoot), handle.workflowId]];
    if (isPackWorkflow) saved.push([packHistoriesDir(repoRoot, 'examples'), `${handle.workflowId}/ts`]);
    for (const [dir, workflowId] of saved) {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${prefix}${name}.json`), historyToFixture(history));
      process.stdout.write(`saved ${join(dir, `${prefix}${name}.json`)} (${history.events?.length} events)\n`);
    }
  }
  /** The execution, once paused by on-call's question. */
  async function asking(handle: WorkflowHandle): Promise<WorkflowHandle> {
    await question(handle);
    await eventually(async () => (await executions.getById(handle.workflowId))?.status === 'paused', 'the workflow paused by its question', 60_000);
    return handle;
  }
  /** On-call's question, once it waits for its answer. */
  async function question(handle: WorkflowHandle): Promise<string> {
    const pending = async () => (await executions.search({ parent: handle.workflowId, action: 'core.ask', limit: 10, offset: 0 })).find((q) => q.status === 'pending')?.id;
    return eventually(pending, 'on-call asked', 60_000);
  }
  async function answered(handle: WorkflowHandle, response: Record<string, unknown>): Promise<WorkflowHandle> {
    await client.workflow.getHandle(await question(handle)).executeUpdate('respondToInquiry', { args: [{ response, user: 'admin' }] });
    return handle;
  }
  async function cancel(handle: WorkflowHandle): Promise<WorkflowHandle> {
    await handle.cancel();
    return handle;
  }
  const run = worker.run();
  try {
    await save('remediate-host-below-threshold', await start({ mountpoint: '/tmp', threshold: 100 }));

    // Paused while it diagnoses (on-call's question held), resumed, then declined.
    const paused = await start({ mountpoint: '/tmp', threshold: 0 });
    await eventually(async () => (await executions.getById(paused.workflowId))?.status === 'running', 'the workflow running', 60_000);
    await paused.signal('pause');
    await eventually(async () => (await executions.getById(paused.workflowId))?.status === 'paused', 'the workflow paused', 60_000);
    await paused.signal('resume');
    await save('remediate-host-paused-resumed', await answered(paused, { approved: false }));

    writeFileSync(join(scratch, 'old.log'), 'old\n');
    await save('remediate-host-still-full', await answered(await start({ mountpoint: '/tmp', threshold: 0, settle_seconds: 1 }), { approved: true }));
    await save('remediate-host-declined', await answered(await start({ mountpoint: '/tmp', threshold: 0 }), { approved: false, reason: 'not now' }));
    await save('remediate-host-canceled-asking', await cancel(await asking(await start({ mountpoint: '/tmp', threshold: 0 }))));

    // Canceled during its durable wait between cleaning and verifying.
    const settling = await answered(await start({ mountpoint: '/tmp', threshold: 0, settle_seconds: 600 }), { approved: true });
    // The pack function's workflow is not there until the bundle is served: not found, asked again.
    const settle = async () => (await client.workflow.getHandle(`${settling.workflowId}/ts`).fetchHistory().catch(() => undefined))?.events?.some((e) => e.timerStartedEventAttributes) ?? false;
    await eventually(settle, 'the settle timer', 60_000);
    await save('remediate-host-canceled-settling', await cancel(settling));

    // An Orquesta workflow paused while its task, the example, runs: the pause reaches it; resumed.
    const orquestaId = randomUUID();
    const callRef = 'examples.call_remediate';
    await executions.create({ id: orquestaId, actionRef: callRef, pack: 'examples', runnerType: 'orquesta', parameters: {}, secrets: {}, context: { user: 'admin', source: 'api' } });
    const orquestaInput: ActionExecutionInput = { executionId: orquestaId, action: { ref: callRef, pack: 'examples', runnerType: 'orquesta', entryPoint: 'workflows/call_remediate.yaml' }, parameters: {}, timeoutSeconds: 600 };
    const orquesta = await client.workflow.start('conductedWorkflow', { taskQueue, workflowId: orquestaId, args: [orquestaInput], typedSearchAttributes: executionSearchAttributes({ actionRef: callRef, pack: 'examples', user: 'admin' }) });
    const task = async () => (await executions.search({ parent: orquestaId, limit: 10, offset: 0 })).find((c) => c.status === 'running')?.id;
    const subId = await eventually(task, 'the example running as a task', 60_000);
    await orquesta.signal('pause');
    await eventually(async () => (await executions.getById(orquestaId))?.status === 'paused', 'the Orquesta workflow paused', 60_000);
    await orquesta.signal('resume');
    await orquesta.result();
    await save('orquesta-paused-resumed-with-remediate-host', orquesta, false);
    await save('remediate-host-paused-by-orquesta', client.workflow.getHandle(subId));
  } finally {
    worker.worker.shutdown();
    await run;
    await connection.close();
    await database.drop();
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * `policies` mode: runs of `actionExecution` under action.concurrency
 * policies (v4-: `capture-histories.js v4- policies`): one holding the only
 * slot and succeeding, one delayed until that slot frees and then run, one
 * canceled by a `cancel` policy, and one canceled by its user while delayed.
 */
async function capturePolicies(prefix: string): Promise<void> {
  const outDir = historiesDir(findRepoRoot());
  const config = testConfig();
  const database = await createTestDatabase();
  const executions = new ExecutionRepository(database.db);
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const workerConnection = await NativeConnection.connect({ address: config.temporal.address });
  const taskQueue = uniqueName('tempest-histories-policies');
  const activities = createExecutionActivities({
    db: database.db,
    executions,
    packConfigs: new PackConfigRepository(database.db),
    tokens: new ActionTokenRepository(database.db),
    apiUrl: 'http://127.0.0.1:9',
    packsDir: mkdtempSync(join(tmpdir(), 'tempest-packs-')),
  });
  const worker = await Worker.create({ connection: workerConnection, taskQueue, workflowBundle: { codePath: workflowBundlePath(findRepoRoot()) }, activities });
  const policy = (action: 'delay' | 'cancel') => [{ ref: `core.local_${action}`, type: 'action.concurrency' as const, threshold: 1, action }];
  async function start(cmd: string, concurrency: ActionExecutionInput['concurrency']): Promise<WorkflowHandle> {
    const id = randomUUID();
    const parameters = { cmd, timeout: 60 };
    await executions.create({ id, actionRef: 'core.local', pack: 'core', runnerType: 'local-shell-cmd', parameters, secrets: {}, context: { user: 'admin', source: 'api' } });
    const input: ActionExecutionInput = { executionId: id, action: { ref: 'core.local', pack: 'core', runnerType: 'local-shell-cmd' }, parameters, timeoutSeconds: 60, concurrency };
    return client.workflow.start('actionExecution', { taskQueue, workflowId: id, args: [input] });
  }
  async function save(name: string, handle: WorkflowHandle): Promise<void> {
    await handle.result().catch(() => undefined);
    const history = await handle.fetchHistory();
    writeFileSync(join(outDir, `${prefix}${name}.json`), historyToFixture(history));
    process.stdout.write(`saved ${prefix}${name}.json (${history.events?.length} events)\n`);
  }
  const status = async (handle: WorkflowHandle) => (await executions.getById(handle.workflowId))?.status;
  const run = worker.run();
  try {
    const holder = await start('sleep 4', policy('delay'));
    await eventually(async () => (await status(holder)) === 'running', 'the holder running', 20_000);
    const delayed = await start('echo ran after waiting', policy('delay'));
    await eventually(async () => (await status(delayed)) === 'delayed', 'the second delayed', 20_000);
    await save('policy-canceled', await start('echo never', policy('cancel')));
    const canceledWhileDelayed = await start('echo never', policy('delay'));
    await eventually(async () => (await status(canceledWhileDelayed)) === 'delayed', 'the third delayed', 20_000);
    await canceledWhileDelayed.cancel();
    await save('policy-canceled-while-delayed', canceledWhileDelayed);
    await save('policy-holder', holder);
    await save('policy-delayed', delayed);
  } finally {
    worker.shutdown();
    await run;
    await workerConnection.close();
    await connection.close();
    await database.drop();
  }
}

const [prefix, mode] = [process.argv[2] ?? 'v1-', process.argv[3] ?? 'actions'];
const capture = { conducted: (p: string) => captureConducted(p, false), 'conducted-policies': (p: string) => captureConducted(p, false, true), paused: (p: string) => captureConducted(p, true), inquiries: captureInquiries, pack: capturePackWorkflows, policies: capturePolicies }[mode] ?? main;
capture(prefix).catch((error) => {
  console.error(`capturing histories failed: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
