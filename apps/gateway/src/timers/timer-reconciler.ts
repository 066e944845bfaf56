import { setTimeout as delay } from 'node:timers/promises';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleDescription } from '@temporalio/client';
import type { RuleRepository } from '@tempest/db';
import { TimerParameterError } from '@tempest/domain';
import type { Logger } from '@tempest/logging';
import { PAUSED_NOTE, RESUMED_NOTE, TIMER_SCHEDULE_PREFIX, timerScheduleOptions, type TimerMemo } from './timer-schedule';
import { timersInUse, type TimerInUse } from './timers-in-use';

export interface ReconcileOutcome {
  created: string[];
  paused: string[];
  resumed: string[];
  deleted: string[];
  unchanged: string[];
  /** Timers whose parameters are invalid: no schedule, and the rules that use them. */
  invalid: { rules: string[]; problems: string[] }[];
}

// A bound on one pass, so a Temporal that does not answer cannot hold it forever.
const PASS_DEADLINE_MS = 30_000;
const DESCRIBE_RETRIES = 4;

/**
 * Makes Temporal's timer schedules match the timer rules in Postgres: one
 * schedule per distinct timer trigger, running while an enabled rule uses it,
 * paused while only disabled rules do, deleted when no rule does. Idempotent,
 * and safe with several gateways reconciling at once: creating a schedule
 * that another one just created is no change.
 */
export class TimerReconciler {
  constructor(
    private readonly rules: RuleRepository,
    private readonly temporal: Client,
    private readonly logger: Logger,
    private readonly options: { taskQueue: string },
  ) {}

  reconcile(): Promise<ReconcileOutcome> {
    return this.temporal.connection.withDeadline(Date.now() + PASS_DEADLINE_MS, () => this.pass());
  }

  private async pass(): Promise<ReconcileOutcome> {
    const outcome: ReconcileOutcome = { created: [], paused: [], resumed: [], deleted: [], unchanged: [], invalid: [] };
    // Listed before the rules are read: a schedule listed here was made from
    // rules no newer than those read next, so deleting it is never premature.
    const existing = await this.ownSchedules();
    const wanted = await this.wanted(outcome);
    for (const want of [...wanted.values()].sort((a, b) => a.id.localeCompare(b.id))) await this.apply(want, outcome);
    for (const id of existing) {
      if (wanted.has(id)) continue;
      try {
        await this.temporal.schedule.getHandle(id).delete();
        outcome.deleted.push(id);
        this.logger.info({ scheduleId: id }, 'timer schedule deleted: no rule uses it');
      } catch (error) {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
      }
    }
    return outcome;
  }

  /** Tempest's timer schedules for this task queue (listing is eventually consistent: used only to find what to delete). */
  private async ownSchedules(): Promise<string[]> {
    const ids: string[] = [];
    for await (const summary of this.temporal.schedule.list()) {
      if (!summary.scheduleId.startsWith(TIMER_SCHEDULE_PREFIX)) continue;
      const memo = summary.memo?.tempest as TimerMemo | undefined;
      if (memo?.taskQueue === this.options.taskQueue) ids.push(summary.scheduleId);
    }
    return ids;
  }

  private async wanted(outcome: ReconcileOutcome): Promise<Map<string, TimerInUse>> {
    const wanted = await timersInUse(this.rules, this.options.taskQueue);
    for (const want of wanted.values()) {
      try {
        timerScheduleOptions(want.timer, { taskQueue: this.options.taskQueue, paused: want.paused });
      } catch (error) {
        if (!(error instanceof TimerParameterError)) throw error;
        wanted.delete(want.id);
        outcome.invalid.push({ rules: want.rules, problems: error.problems });
        this.logger.warn({ rules: want.rules, trigger: want.timer.type, problems: error.problems }, 'timer not scheduled: its parameters are invalid');
      }
    }
    return wanted;
  }

  private async apply(want: TimerInUse, outcome: ReconcileOutcome): Promise<void> {
    const handle = this.temporal.schedule.getHandle(want.id);
    let current = await this.describe(want.id);
    if (!current) {
      try {
        await this.temporal.schedule.create(timerScheduleOptions(want.timer, { taskQueue: this.options.taskQueue, paused: want.paused }));
        outcome.created.push(want.id);
        this.logger.info({ scheduleId: want.id, trigger: want.timer.type, rules: want.rules, paused: want.paused }, 'timer schedule created');
        return;
      } catch (error) {
        // Another gateway created it a moment ago.
        if (!(error instanceof ScheduleAlreadyRunning)) throw error;
        current = await this.describe(want.id);
        if (!current) throw new Error(`timer schedule ${want.id} is being deleted; it is created again on the next pass`);
      }
    }
    if (want.paused && !current.state.paused) {
      await handle.pause(PAUSED_NOTE);
      outcome.paused.push(want.id);
      this.logger.info({ scheduleId: want.id, rules: want.rules }, 'timer schedule paused: its rules are disabled');
    } else if (!want.paused && current.state.paused && current.state.note === PAUSED_NOTE) {
      await handle.unpause(RESUMED_NOTE);
      outcome.resumed.push(want.id);
      this.logger.info({ scheduleId: want.id, rules: want.rules }, 'timer schedule resumed');
    } else {
      outcome.unchanged.push(want.id);
    }
  }

  /**
   * The schedule, or undefined when there is none. A schedule another gateway
   * is creating this moment cannot answer yet (Temporal refuses the query), so
   * a failure is retried a few times before the pass gives up.
   */
  private async describe(id: string): Promise<ScheduleDescription | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.temporal.schedule.getHandle(id).describe();
      } catch (error) {
        if (error instanceof ScheduleNotFoundError) return undefined;
        if (attempt >= DESCRIBE_RETRIES) throw error;
        await delay(100 * 2 ** attempt);
      }
    }
  }
}
