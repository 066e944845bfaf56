import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TempestConfig } from '@tempest/config';
import { ExecutionRepository, type Execution } from '@tempest/db';
import type { Logger } from '@tempest/logging';
import { CONFIG, LOGGER, TEMPORAL_CLIENT } from '../tokens';

const SWEEP_MS = 60_000;
/** Far longer than a start takes (its deadline is 10 s): older and still `requested`, its gateway is gone. */
const ABANDONED_MS = 2 * 60_000;
const BATCH = 50;

export const NEVER_STARTED = 'the gateway stopped after recording this execution and before starting it; nothing ran (re-run it to run it)';

/**
 * Settles executions a gateway recorded but died before marking `scheduled`:
 * `scheduled` if Temporal has the workflow, else `failed`, saying nothing
 * ran, so the audit trail never shows an execution waiting forever. Those a
 * rule started are left to the trigger instance's recovery, which starts them.
 */
@Injectable()
export class RequestedExecutionReaper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly executions: ExecutionRepository,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: TempestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.databaseUrl) return;
    this.timer = setInterval(() => void this.sweep().catch((error: Error) => this.logger.warn({ err: error.message }, 'could not settle abandoned executions')), SWEEP_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Settles what was recorded before `before`; returns how many it settled. */
  async sweep(before = new Date(Date.now() - ABANDONED_MS)): Promise<number> {
    let settled = 0;
    // Page by page to the end: rows it leaves `requested` (a rule's, for its trigger instance's recovery) never hide the rest.
    for (let afterId: string | undefined; ; ) {
      const page = await this.executions.searchRequested(before, BATCH, afterId);
      settled += await this.settle(page);
      if (page.length < BATCH) return settled;
      afterId = page.at(-1)!.id;
    }
  }

  private async settle(page: Execution[]): Promise<number> {
    let settled = 0;
    for (const execution of page) {
      try {
        await this.temporal.workflow.getHandle(execution.workflow_id).describe();
        if (await this.executions.transition(execution.id, 'scheduled')) settled++;
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        if (execution.context.source === 'rule') continue;
        if (await this.executions.transition(execution.id, 'failed', { result: { error: NEVER_STARTED } })) settled++;
        this.logger.warn({ executionId: execution.id, action: execution.action_ref }, 'execution recorded but never started: marked failed');
      }
    }
    return settled;
  }
}
