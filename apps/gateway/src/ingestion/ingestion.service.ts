import { randomUUID } from 'node:crypto';
import { BadRequestException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { RuleEnforcementRepository, TriggerInstanceRepository, type NewTriggerInstance, type RuleEnforcement, type TriggerInstance } from '@tempest/db';
import { triggerSchemaViolations } from '@tempest/domain';
import type { TempestConfig } from '@tempest/config';
import type { Logger } from '@tempest/logging';
import { ExecutionStartError } from '../executions/execution-launcher';
import { RuleCatalog } from '../rules/rule-catalog';
import { CONFIG, LOGGER } from '../tokens';
import { TriggerTypeService } from '../triggers/trigger-type.service';
import { ArrivalRate } from './arrival-rate';
import { GroupCommit } from './group-commit';
import { whileClaimed } from './instance-claim';
import { RuleEnforcer } from './rule-enforcer';

/** One event, from whatever emitted it. */
export interface TriggerDispatch {
  /** Trigger type ref. */
  trigger: string;
  /** The trigger's parameters, e.g. `{url}` for a webhook. */
  parameters?: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** Given by the sender to group what this event causes; the instance id otherwise. */
  traceTag?: string;
  /** A retried dispatch with the same key (for the same trigger) is the same event. */
  idempotencyKey?: string;
  /** webhook, api, sensor, timer, datastore, actiontrigger, re_emit. */
  source: string;
  context?: Record<string, unknown>;
  occurrenceTime?: Date;
}

export interface IngestionOutcome {
  instance: TriggerInstance;
  enforcements: RuleEnforcement[];
  /** False when the idempotency key named an event already received. */
  created: boolean;
}

const MAX_TRACE_TAG = 256;
/**
 * Events processed before the answer while this gateway processes fewer
 * than this many instances; beyond (a storm), an event is stored `pending`
 * and answered at once, and the queue processes it (PendingInstanceProcessor).
 */
const INLINE_LIMIT = 4;
/**
 * Events per second beyond which this gateway is in a storm: accepting them
 * durably comes first, and the queue starts their executions slowly until
 * the storm passes (PendingInstanceProcessor).
 */
const STORM_EVENTS_PER_SECOND = 200;
/** Instances stored per statement, and statements under way at once, when events arrive together. */
const STORE_BATCH = { maxBatch: 200, maxInFlight: 2 };

/** Postgres refused the statement for its data (SQLSTATE class 22 or 23): nothing was stored, one row may be at fault. */
function refusedForItsData(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

/** Temporal did not take an execution: the instance is queued again, and the sweep finishes it. */
class ExecutionsDeferred extends ServiceUnavailableException {}

/**
 * The one path from an event to started executions, for webhooks, sensors,
 * timers, datastore changes and re-emits: validate the payload against its
 * trigger type, store the trigger instance, match the rules, enforce each
 * match. Every step is idempotent, so an instance may be processed again
 * after a crash or a retry without running anything twice.
 */
@Injectable()
export class IngestionService {
  /** Instances this gateway is processing now, before an answer or from the queue. */
  private busy = 0;
  /**
   * Set by the queue (PendingInstanceProcessor): its last claim was full, so
   * more events wait; a new event joins them rather than overtaking them
   * and holding its sender while the queue is behind.
   */
  queueBacklogged = false;
  private readonly arrivals = new ArrivalRate();
  private readonly store: GroupCommit<NewTriggerInstance, { instance: TriggerInstance; created: boolean }>;
  /** Instances processed at the same moment (the queue processes several at once) are marked so together. */
  private readonly processedMarks: GroupCommit<string, undefined>;

  constructor(
    private readonly triggerTypes: TriggerTypeService,
    private readonly instances: TriggerInstanceRepository,
    private readonly enforcements: RuleEnforcementRepository,
    private readonly catalog: RuleCatalog,
    private readonly enforcer: RuleEnforcer,
    @Inject(CONFIG) private readonly config: TempestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.store = new GroupCommit((records) => this.instances.createMany(records), { ...STORE_BATCH, isolates: refusedForItsData });
    this.processedMarks = new GroupCommit(
      async (ids) => {
        await this.instances.markProcessed(ids);
        return ids.map(() => undefined);
      },
      { ...STORE_BATCH, isolates: refusedForItsData },
    );
  }

  /**
   * Stores and processes the event before answering, so the caller knows its
   * executions are started, or, when Temporal does not take them, that the
   * event is queued (`pending`) for the sweep. In a storm (this gateway
   * already processing INLINE_LIMIT instances, or its queue behind) the event is only stored,
   * `pending`, and answered at once: the queue starts its executions as fast
   * as Temporal takes them. Either way the answer comes once the instance is
   * committed. 400 names what is wrong with the payload; nothing is stored then.
   */
  async ingest(dispatch: TriggerDispatch): Promise<IngestionOutcome> {
    this.arrivals.note();
    await this.validate(dispatch);
    // The rules must be loaded before the event is stored as being processed.
    await this.catalog.whenLoaded();
    if (this.busy >= INLINE_LIMIT || this.queueBacklogged) {
      const { instance, created } = await this.store.submit(this.toRecord(dispatch, 'pending'));
      return { instance, enforcements: created ? [] : await this.enforcements.getForTriggerInstances([instance.id]), created };
    }
    this.busy++;
    try {
      const { instance, created } = await this.store.submit(this.toRecord(dispatch, 'processing'));
      if (!created && instance.status === 'processed') {
        return { instance, enforcements: await this.enforcements.getForTriggerInstances([instance.id]), created };
      }
      try {
        return { ...(await this.processCounted(instance)), created };
      } catch (error) {
        if (!(error instanceof ExecutionsDeferred)) throw error;
        // The event is stored and queued, and the sweep starts its executions once Temporal takes them,
        // each under an id derived from instance and rule: accepted, so the sender does not send it again.
        return { instance: (await this.instances.getById(instance.id))!, enforcements: await this.enforcements.getForTriggerInstances([instance.id]), created };
      }
    } finally {
      this.busy--;
    }
  }

  /** Whether events arrive faster than STORM_EVENTS_PER_SECOND now. */
  inStorm(): boolean {
    return this.arrivals.perSecond() > STORM_EVENTS_PER_SECOND;
  }

  /** Stores the event for the gateways to process shortly (a NOTIFY wakes them); for emitters that must not wait. */
  async enqueue(dispatch: TriggerDispatch): Promise<TriggerInstance> {
    await this.validate(dispatch);
    return (await this.store.submit(this.toRecord(dispatch, 'pending'))).instance;
  }

  /** The same event again, as a new trigger instance in the same trace. */
  async reEmit(id: string): Promise<IngestionOutcome> {
    const original = await this.instances.getById(id);
    if (!original) throw new NotFoundException(`no trigger instance "${id}"`);
    return this.ingest({
      trigger: original.trigger,
      parameters: original.parameters,
      payload: original.payload,
      traceTag: original.trace_tag,
      source: 're_emit',
      context: { ...original.context, re_emitted_from: original.id },
    });
  }

  /**
   * Matches and enforces. Ends `processed` (a rule that could not be enforced
   * has a failed enforcement saying why), or `pending` again when Temporal
   * refused a start, for a later retry, or `processing_failed`. The claim on
   * the instance is renewed meanwhile, so no other gateway takes it over.
   */
  async process(instance: TriggerInstance): Promise<{ instance: TriggerInstance; enforcements: RuleEnforcement[] }> {
    this.busy++;
    try {
      return await this.processCounted(instance);
    } finally {
      this.busy--;
    }
  }

  private processCounted(instance: TriggerInstance): Promise<{ instance: TriggerInstance; enforcements: RuleEnforcement[] }> {
    const claim = {
      renew: () => this.instances.renewClaim(instance.id),
      leaseSeconds: this.config.triggerInstanceLeaseSeconds,
      onRenewalError: (error: Error) => this.logger.warn({ triggerInstance: instance.id, err: error.message }, 'could not renew the claim on a trigger instance; another gateway may take it over'),
    };
    return whileClaimed(claim, () => this.processClaimed(instance));
  }

  private async processClaimed(instance: TriggerInstance): Promise<{ instance: TriggerInstance; enforcements: RuleEnforcement[] }> {
    const event = { type: instance.trigger, parameters: instance.parameters, payload: instance.payload };
    try {
      const type = await this.triggerTypes.find(instance.trigger);
      const violations = type ? triggerSchemaViolations('payload', instance.payload, type.payloadSchema) : [`trigger: no trigger type "${instance.trigger}"`];
      if (violations.length > 0) {
        await this.instances.setStatus(instance.id, 'processing_failed', violations.join('; '));
        return { instance: (await this.instances.getById(instance.id))!, enforcements: [] };
      }
      const { matched, errors } = await this.catalog.match(event);
      const enforcements: RuleEnforcement[] = [];
      for (const { rule, error } of errors) {
        enforcements.push(await this.enforcements.record({ triggerInstanceId: instance.id, ruleRef: rule.ref, failureReason: `criteria could not be evaluated: ${error}` }));
      }
      for (const rule of matched) enforcements.push(await this.enforcer.enforce(rule, instance, event));
      await this.processedMarks.submit(instance.id);
      // Most events match nothing (every execution emits actiontrigger): those are debug.
      this.logger[matched.length > 0 ? 'info' : 'debug']({ triggerInstance: instance.id, trigger: instance.trigger, rules: matched.map((r) => r.ref), traceTag: instance.trace_tag }, 'trigger instance processed');
      // The row as just written: reading it back would cost a round trip per event.
      return { instance: { ...instance, status: 'processed', error: null, updated_at: new Date() }, enforcements };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof ExecutionStartError || error instanceof ServiceUnavailableException) {
        await this.instances.setStatus(instance.id, 'pending', reason).catch(() => undefined);
        throw new ExecutionsDeferred(`trigger instance ${instance.id} is stored, but its executions could not be started yet (${reason}); it will be retried`);
      }
      this.logger.error({ triggerInstance: instance.id, err: error }, 'trigger instance processing failed');
      await this.instances.setStatus(instance.id, 'processing_failed', reason).catch(() => undefined);
      throw error;
    }
  }

  private async validate(dispatch: TriggerDispatch): Promise<void> {
    const type = await this.triggerTypes.find(dispatch.trigger);
    if (!type) throw new BadRequestException(`trigger: no trigger type "${dispatch.trigger}" (GET /api/v1/triggertypes lists them)`);
    const violations = triggerSchemaViolations('payload', dispatch.payload, type.payloadSchema);
    if (violations.length > 0) throw new BadRequestException(violations);
    if (dispatch.traceTag !== undefined && (dispatch.traceTag === '' || dispatch.traceTag.length > MAX_TRACE_TAG)) {
      throw new BadRequestException(`trace tag: expected 1 to ${MAX_TRACE_TAG} characters`);
    }
  }

  private toRecord(dispatch: TriggerDispatch, status: 'pending' | 'processing'): NewTriggerInstance {
    const id = randomUUID();
    return {
      id,
      trigger: dispatch.trigger,
      parameters: dispatch.parameters ?? {},
      payload: dispatch.payload,
      occurrenceTime: dispatch.occurrenceTime,
      status,
      traceTag: dispatch.traceTag ?? id,
      idempotencyKey: dispatch.idempotencyKey,
      source: dispatch.source,
      context: dispatch.context,
    };
  }
}
