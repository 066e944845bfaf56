import { sql, type OrderByDirection } from 'kysely';
import { isTerminal, TERMINAL_STATUSES, type ExecutionStatus, type Notify } from '@tempest/domain';
import type { Database } from '../database';
import type { Execution, ExecutionContext, ExecutionOutputChunk } from '../schema';
import { ExecutionSecretRepository, type SecretCipher } from './execution-secret.repository';
import { claimAttemptQuery, transitionQuery, type TransitionFields } from './execution-statements';
import { storableJson, withoutNul } from '../storable';

export interface NewExecution {
  id: string;
  actionRef: string;
  pack: string;
  runnerType: string;
  /** Secret values already masked. */
  parameters: Record<string, unknown>;
  /** The real values of secret parameters, kept apart from the audit row. */
  secrets: Record<string, unknown>;
  context: ExecutionContext;
  parentId?: string;
  /** What it tells when it ends (StackStorm's notify), already normalized. */
  notify?: Notify;
}

export interface ExecutionFilter {
  action?: string;
  status?: string;
  /** null: only top-level executions (no parent). */
  parent?: string | null;
  user?: string;
  runnerType?: string;
  since?: Date;
  /** Requested strictly after. */
  after?: Date;
  until?: Date;
  /** Started by a rule for this trigger instance (context.trigger_instance). */
  triggerInstance?: string;
  /** 'asc': the oldest first; newest first by default. */
  order?: OrderByDirection;
  limit: number;
  offset: number;
}

/** An output row as json_build_object writes it. */
type ChunkJson = Omit<ExecutionOutputChunk, 'created_at'> & { created_at: string };

export interface OutputChunk {
  seq: number;
  stream: 'stdout' | 'stderr';
  data: string;
}

/** What is known of one attempt after its worker went silent. */
export type AttemptRecord = { state: 'never-started' } | { state: 'started' } | { state: 'finished'; outcome: unknown };

export class ExecutionRepository {
  private readonly secrets: ExecutionSecretRepository;

  /** `cipher`: the datastore key's, to write and read secret parameters (sealed at rest). */
  constructor(
    private readonly db: Database,
    private readonly cipher?: SecretCipher,
  ) {
    this.secrets = new ExecutionSecretRepository(db, cipher);
  }

  /** Whether secret parameters can be recorded (a datastore key is configured). */
  get keepsSecrets(): boolean {
    return this.cipher !== undefined;
  }

  /** Records the request (status `requested`) with its secrets, in one transaction. */
  async create(execution: NewExecution): Promise<Execution> {
    // One statement is atomic already: a transaction only when there are secrets to write with it.
    if (Object.keys(execution.secrets).length === 0) return this.insert(this.db, execution);
    return this.db.transaction().execute(async (trx) => {
      const row = await this.insert(trx, execution);
      await new ExecutionSecretRepository(trx, this.cipher).create(execution.id, execution.secrets);
      return row;
    });
  }

  private insert(db: Database, execution: NewExecution): Promise<Execution> {
    return db
      .insertInto('executions')
      .values({
        id: execution.id,
        action_ref: execution.actionRef,
        pack: execution.pack,
        runner_type: execution.runnerType,
        parameters: JSON.stringify(execution.parameters),
        status: 'requested',
        status_history: JSON.stringify([{ status: 'requested', at: new Date().toISOString() }]),
        context: JSON.stringify(execution.context),
        result: null,
        notify: execution.notify ? JSON.stringify(execution.notify) : null,
        parent_id: execution.parentId ?? null,
        workflow_id: execution.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Like create(), but an execution already recorded under this id (a retried
   * rule enforcement) is returned as it is, and nothing is written.
   */
  async createIfAbsent(execution: NewExecution): Promise<{ execution: Execution; created: boolean }> {
    const existing = await this.getById(execution.id);
    if (existing) return { execution: existing, created: false };
    try {
      return { execution: await this.create(execution), created: true };
    } catch (error) {
      // Recorded concurrently by another replica between the read and the write.
      const raced = (error as { code?: string }).code === '23505' ? await this.getById(execution.id) : undefined;
      if (!raced) throw error;
      return { execution: raced, created: false };
    }
  }

  getById(id: string): Promise<Execution | undefined> {
    return this.db.selectFrom('executions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The real values of its secret parameters; none once the execution ended. */
  async getSecrets(id: string): Promise<Record<string, unknown>> {
    return (await this.secrets.get(id)) ?? {};
  }

  /** Keeps a failed workflow's final conductor state (idempotent: a retried step writes the same). */
  async saveWorkflowState(id: string, state: unknown): Promise<void> {
    const json = JSON.stringify(state);
    await this.db.insertInto('workflow_states').values({ execution_id: id, state: json }).onConflict((c) => c.column('execution_id').doUpdateSet({ state: json })).execute();
  }

  /** The final conductor state kept for a failed workflow, if any. */
  async getWorkflowState(id: string): Promise<unknown> {
    return (await this.db.selectFrom('workflow_states').select('state').where('execution_id', '=', id).executeTakeFirst())?.state;
  }

  /** Executions still `requested`, recorded before `before`, by id: a page continues after the id `afterId` ended the last one. */
  searchRequested(before: Date, limit: number, afterId?: string): Promise<Execution[]> {
    let query = this.db.selectFrom('executions').selectAll().where('status', '=', 'requested').where('created_at', '<', before);
    if (afterId !== undefined) query = query.where('id', '>', afterId);
    return query.orderBy('id').limit(limit).execute();
  }

  /** The ids of an execution's children, oldest first: ids only, for GET /executions/{id}, which clients poll. */
  async childIds(parentId: string, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('executions').select('id').where('parent_id', '=', parentId).orderBy('created_at').orderBy('id').limit(limit).execute();
    return rows.map((row) => row.id);
  }

  /** Newest first (oldest with order 'asc'). */
  search(filter: ExecutionFilter): Promise<Execution[]> {
    let query = this.db.selectFrom('executions').selectAll();
    if (filter.action) query = query.where('action_ref', '=', filter.action);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.parent) query = query.where('parent_id', '=', filter.parent);
    else if (filter.parent === null) query = query.where('parent_id', 'is', null);
    if (filter.user) query = query.where(sql<string>`context->>'user'`, '=', filter.user);
    if (filter.runnerType) query = query.where('runner_type', '=', filter.runnerType);
    if (filter.since) query = query.where('created_at', '>=', filter.since);
    if (filter.after) query = query.where('created_at', '>', filter.after);
    if (filter.until) query = query.where('created_at', '<', filter.until);
    if (filter.triggerInstance) query = query.where(sql<string>`context->>'trigger_instance'`, '=', filter.triggerInstance);
    return query.orderBy('created_at', filter.order ?? 'desc').orderBy('id', filter.order ?? 'desc').limit(filter.limit).offset(filter.offset).execute();
  }

  /**
   * Moves the execution to `status` if its lifecycle allows it, appending to
   * the history. A retried or late write of an older status changes nothing;
   * returns whether this call made the change.
   */
  async transition(id: string, status: ExecutionStatus, fields: TransitionFields = {}): Promise<boolean> {
    const updated = await transitionQuery(this.db, id, status, fields).executeTakeFirst();
    // Nothing runs an ended execution again: its secrets are no longer needed (also on a retried write).
    if (isTerminal(status)) await this.secrets.deleteIfEnded(id, TERMINAL_STATUSES);
    return Number(updated.numUpdatedRows) === 1;
  }

  /** transition() to a status before the end, answering the row as it is after the change, or undefined when the change was refused. */
  async advance(id: string, status: ExecutionStatus): Promise<Execution | undefined> {
    // An end also removes the secrets: that is transition()'s.
    if (isTerminal(status)) throw new RangeError(`advance() is for statuses before the end, not ${status}`);
    return transitionQuery(this.db, id, status, {}).returningAll().executeTakeFirst();
  }

  /** Idempotent: a chunk already written (same attempt and sequence number) is skipped. */
  async appendOutput(id: string, attempt: number, chunks: OutputChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    await this.db
      .insertInto('execution_output')
      .values(chunks.map((c) => ({ execution_id: id, attempt, seq: c.seq, stream: c.stream, data: withoutNul(c.data) })))
      .onConflict((oc) => oc.columns(['execution_id', 'attempt', 'seq']).doNothing())
      .execute();
  }

  /** Output in the order it was produced; `afterId` continues a previous read. */
  /**
   * The execution's status and its output after `afterId`, in one round trip
   * (what a waiting output request reads each time it wakes); undefined when
   * there is no such execution.
   */
  async statusAndOutput(id: string, afterId = '0'): Promise<{ status: string; chunks: ExecutionOutputChunk[] } | undefined> {
    const row = await this.db
      .selectFrom('executions')
      .select((eb) => [
        'status',
        // Ids as text: bigserial outgrows JSON numbers.
        sql<ChunkJson[]>`coalesce((select json_agg(json_build_object('id', o.id::text, 'execution_id', o.execution_id, 'attempt', o.attempt, 'seq', o.seq, 'stream', o.stream, 'data', o.data, 'created_at', o.created_at) order by o.id) from execution_output o where o.execution_id = ${eb.ref('executions.id')} and o.id > ${afterId}), '[]')`.as('chunks'),
      ])
      .where('id', '=', id)
      .executeTakeFirst();
    return row && { status: row.status, chunks: row.chunks.map((c) => ({ ...c, created_at: new Date(c.created_at) })) };
  }

  getOutput(id: string, afterId = '0'): Promise<ExecutionOutputChunk[]> {
    return this.db
      .selectFrom('execution_output')
      .selectAll()
      .where('execution_id', '=', id)
      .where('id', '>', afterId)
      .orderBy('id')
      .execute();
  }

  /** One output chunk with the action and runner of its execution (the event stream's output event). */
  getOutputChunkWithAction(chunkId: string): Promise<(ExecutionOutputChunk & { action_ref: string; runner_type: string }) | undefined> {
    return this.db
      .selectFrom('execution_output as o')
      .innerJoin('executions as e', 'e.id', 'o.execution_id')
      .selectAll('o')
      .select(['e.action_ref', 'e.runner_type'])
      .where('o.id', '=', chunkId)
      .executeTakeFirst();
  }

  /**
   * Claims the attempt for `dispatch` just before its action starts: true for
   * the first claim, or when the attempt was fenced for a dispatch before this
   * one; false when another dispatch started it or it was given to a later one.
   */
  async claimAttempt(id: string, attempt: number, dispatch: number): Promise<boolean> {
    const row = await claimAttemptQuery(this.db, id, attempt, dispatch).executeTakeFirst();
    return row !== undefined;
  }

  /** The outcome of an attempt this dispatch started, stored before the worker reports it to Temporal. */
  async recordAttemptOutcome(id: string, attempt: number, dispatch: number, outcome: unknown): Promise<void> {
    await this.db
      .updateTable('execution_attempts')
      .set({ state: 'finished', outcome: storableJson(outcome), updated_at: sql`now()` })
      .where('execution_id', '=', id)
      .where('attempt', '=', attempt)
      .where('dispatch', '=', dispatch)
      .where('state', '=', 'started')
      .execute();
  }

  /**
   * What is known of an attempt whose dispatch `dispatch` went silent. One
   * that never started is fenced in the same statement, so that dispatch can
   * no longer start it and the next one may.
   */
  async settleAttempt(id: string, attempt: number, dispatch: number): Promise<AttemptRecord> {
    await this.db
      .insertInto('execution_attempts')
      .values({ execution_id: id, attempt, dispatch, state: 'fenced' })
      .onConflict((oc) =>
        oc
          .columns(['execution_id', 'attempt'])
          .doUpdateSet({ dispatch, updated_at: sql`now()` })
          .where('execution_attempts.state', '=', 'fenced')
          .where('execution_attempts.dispatch', '<', dispatch),
      )
      .execute();
    const row = await this.db.selectFrom('execution_attempts').select(['state', 'outcome']).where('execution_id', '=', id).where('attempt', '=', attempt).executeTakeFirstOrThrow();
    if (row.state === 'finished') return { state: 'finished', outcome: row.outcome };
    return { state: row.state === 'fenced' ? 'never-started' : 'started' };
  }
}
