import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Logger } from '@tempest/logging';
import { bundlePackWorkflows, entryProblem, packFingerprint, packIndexSource, type PackWorkflowEntry } from './pack-bundle';

export interface PackWorkflowHostOptions {
  connection: NativeConnection;
  namespace: string;
  /** Tempest's task queue: each bundle's queue is named after it. */
  taskQueue: string;
  identity: string;
  /** Where built bundles are kept, across restarts, for the workflows still running on them. */
  bundlesDir: string;
  repoRoot: string;
  packsDir: string;
  /** The activities pack workflows call (createChildExecution, a local activity). */
  activities: object;
  logger: Logger;
}

const KEPT_BUNDLE = /^([\w-]+)@([0-9a-f]{20})\.js$/;
/** A superseded bundle this old, with no workflow running on its queue, is deleted at start. */
const PRUNE_AFTER_MS = 60 * 60 * 1000;

/**
 * Runs the TypeScript workflows of packs. A pack's workflow code (as on disk
 * when an execution of it starts) is built into a bundle named by its content
 * hash and served by a Temporal worker of its own, on the task queue
 * `<taskQueue>/<pack>@<hash>`. Changing the pack makes another bundle on
 * another queue; the old one stays, kept on disk and served again after a
 * restart, so executions started on it replay and finish on the code they
 * started with (until, superseded and idle, a start deletes it).
 */
export class PackWorkflowHost {
  private readonly serving = new Map<string, { worker: Promise<Worker>; run: Promise<void> }>();
  private readonly building = new Map<string, Promise<string | undefined>>();

  constructor(private readonly options: PackWorkflowHostOptions) {}

  /**
   * Serves every bundle kept from earlier runs of this task queue; one that
   * cannot be served is logged, not fatal. A bundle superseded by a newer one
   * of its pack for an hour, with no workflow running on its queue, is
   * deleted instead (one Temporal cannot tell about is kept).
   */
  async serveKept(): Promise<void> {
    const dir = this.options.bundlesDir;
    if (!existsSync(dir)) return;
    const kept = readdirSync(dir).flatMap((file) => {
      const match = KEPT_BUNDLE.exec(file);
      return match ? [{ file: join(dir, file), pack: match[1], hash: match[2], mtimeMs: statSync(join(dir, file)).mtimeMs }] : [];
    });
    const newest = new Map<string, number>();
    for (const { pack, mtimeMs } of kept) newest.set(pack, Math.max(newest.get(pack) ?? 0, mtimeMs));
    const { logger } = this.options;
    await Promise.all(
      kept.map(async ({ file, pack, hash, mtimeMs }) => {
        const superseded = mtimeMs < newest.get(pack)! && Date.now() - mtimeMs > PRUNE_AFTER_MS;
        if (superseded && (await this.idle(this.queueOf(pack, hash)))) {
          rmSync(file, { force: true });
          logger.info({ pack, hash }, 'pack workflow bundle removed: superseded, and no workflow runs on it');
          return;
        }
        await this.serve(pack, hash).catch((error) => logger.error({ pack, hash, err: error instanceof Error ? error.message : String(error) }, 'a kept pack workflow bundle cannot be served'));
      }),
    );
  }

  /** Whether Temporal says no workflow runs on the queue; false when it cannot say. */
  private async idle(taskQueue: string): Promise<boolean> {
    try {
      const client = new Client({ connection: this.options.connection, namespace: this.options.namespace });
      const { count } = await client.workflow.count(`TaskQueue = ${JSON.stringify(taskQueue)} AND ExecutionStatus = "Running"`);
      return count === 0;
    } catch (error) {
      this.options.logger.warn({ taskQueue, err: error instanceof Error ? error.message : String(error) }, 'cannot count the workflows of a kept bundle: kept');
      return false;
    }
  }

  /** The queue of the pack's workflows as they are on disk now, built and served on this worker; or why they cannot run. */
  async prepare(pack: string, entries: PackWorkflowEntry[]): Promise<{ taskQueue: string } | { error: string }> {
    const packDir = resolve(this.options.packsDir, pack);
    for (const entry of entries) {
      const problem = entryProblem(packDir, pack, entry);
      if (problem) return { error: problem };
    }
    let hash: string;
    try {
      hash = packFingerprint(this.options.repoRoot, packDir, entries);
    } catch (error) {
      return { error: `cannot read the workflow code of pack ${pack} on this worker: ${error instanceof Error ? error.message : String(error)}` };
    }
    const failure = await this.build(pack, hash, packDir, entries);
    if (failure) return { error: `the TypeScript workflows of pack ${pack} do not build: ${failure}` };
    await this.serve(pack, hash);
    return { taskQueue: this.queueOf(pack, hash) };
  }

  /** Stops every bundle's worker, letting running workflow tasks finish. */
  async shutdown(): Promise<void> {
    const served = [...this.serving.values()];
    for (const { worker } of served) {
      const w = await worker.catch(() => undefined);
      if (w?.getState() === 'RUNNING') w.shutdown();
    }
    await Promise.all(served.map(({ run }) => run));
  }

  private queueOf(pack: string, hash: string): string {
    return `${this.options.taskQueue}/${pack}@${hash}`;
  }

  private bundleFile(pack: string, hash: string): string {
    return join(this.options.bundlesDir, `${pack}@${hash}.js`);
  }

  /** Builds the bundle unless it is kept already (once per hash however many ask at once); the build error, if any. */
  private build(pack: string, hash: string, packDir: string, entries: PackWorkflowEntry[]): Promise<string | undefined> {
    const file = this.bundleFile(pack, hash);
    if (existsSync(file)) return Promise.resolve(undefined);
    const pending = this.building.get(file);
    if (pending) return pending;
    const build = (async () => {
      const started = Date.now();
      mkdirSync(this.options.bundlesDir, { recursive: true });
      const index = join(this.options.bundlesDir, `.${pack}@${hash}.index.ts`);
      writeFileSync(index, packIndexSource(packDir, pack, entries));
      try {
        const code = await bundlePackWorkflows(this.options.repoRoot, index);
        // Renamed into place whole: another worker on this folder never reads half a bundle.
        const partial = `${file}.${process.pid}.partial`;
        writeFileSync(partial, code);
        renameSync(partial, file);
        this.options.logger.info({ pack, hash, ms: Date.now() - started, kib: Math.round(code.length / 1024) }, 'pack workflows bundled');
        return undefined;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.options.logger.warn({ pack, hash, err: message }, 'pack workflows do not build');
        return message.length > 2000 ? `${message.slice(0, 2000)}…` : message;
      } finally {
        rmSync(index, { force: true });
        this.building.delete(file);
      }
    })();
    this.building.set(file, build);
    return build;
  }

  /** Starts the bundle's worker, once; a worker that stops is started again by the next execution that needs it. */
  private async serve(pack: string, hash: string): Promise<void> {
    const taskQueue = this.queueOf(pack, hash);
    const served = this.serving.get(taskQueue);
    if (served) {
      await served.worker;
      return;
    }
    const { connection, namespace, identity, activities, logger } = this.options;
    const worker = Worker.create({ connection, namespace, taskQueue, identity, workflowBundle: { codePath: this.bundleFile(pack, hash) }, activities, shutdownGraceTime: '10 seconds' });
    const run = worker
      .then(async (w) => {
        logger.info({ taskQueue }, 'pack workflows polling');
        await w.run();
      })
      .catch((error) => logger.error({ taskQueue, err: error instanceof Error ? error.message : String(error) }, 'pack workflows worker failed'))
      .finally(() => this.serving.delete(taskQueue));
    this.serving.set(taskQueue, { worker, run });
    await worker;
  }
}
