import { randomUUID } from 'node:crypto';
import { SensorLeaseRepository, TriggerInstanceRepository, TriggerTypeRepository, type Database } from '@tempest/db';
import { findBuiltinTriggerType, triggerSchemaViolations } from '@tempest/domain';

/** A dispatch the caller got wrong: an unknown trigger type, or a payload that breaks its schema. */
export class DispatchError extends Error {
  override readonly name = 'DispatchError';
}

/** The container no longer holds the sensor's lease: another container runs it now. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

export interface Dispatch {
  /** The sensor on whose behalf the instance is recorded (its lease guards the write). */
  sensorRef: string;
  trigger: string;
  parameters?: Record<string, unknown>;
  payload: unknown;
  traceTag?: string;
  source: 'sensor' | 'datastore';
}

const MAX_TRACE_TAG = 256;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Records trigger instances as `pending`: the insert NOTIFYs the gateways,
 * whose ingestion matches rules and starts executions, as for a webhook. The
 * write is made only while this container holds the sensor's lease, in the
 * same transaction, so two containers never both record a sensor's event.
 */
export class TriggerDispatcher {
  constructor(
    private readonly db: Database,
    private readonly owner: string,
  ) {}

  async dispatch(dispatch: Dispatch): Promise<string> {
    const { trigger, sensorRef } = dispatch;
    const parameters = dispatch.parameters ?? {};
    if (typeof trigger !== 'string' || trigger === '') throw new DispatchError('trigger: expected a trigger type ref such as "examples.event"');
    if (!isObject(dispatch.payload)) throw new DispatchError(`${trigger}: the payload must be an object`);
    if (!isObject(parameters)) throw new DispatchError(`${trigger}: the trigger parameters must be an object`);
    const type = findBuiltinTriggerType(trigger) ?? (await new TriggerTypeRepository(this.db).getByRef(trigger).then((row) => row && { parametersSchema: row.parameters_schema, payloadSchema: row.payload_schema }));
    if (!type) throw new DispatchError(`no trigger type "${trigger}" is registered`);
    const violations = [...triggerSchemaViolations('parameters', parameters, type.parametersSchema), ...triggerSchemaViolations('payload', dispatch.payload, type.payloadSchema)];
    if (violations.length > 0) throw new DispatchError(`${trigger}: ${violations.join('; ')}`);
    if (dispatch.traceTag !== undefined && (typeof dispatch.traceTag !== 'string' || dispatch.traceTag === '' || dispatch.traceTag.length > MAX_TRACE_TAG)) {
      throw new DispatchError(`trace tag: expected 1 to ${MAX_TRACE_TAG} characters`);
    }
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      if (!(await new SensorLeaseRepository(trx).isHeld(this.owner, sensorRef))) {
        throw new LeaseLostError(`this container no longer holds the lease of sensor ${sensorRef}; ${trigger} was not recorded`);
      }
      await new TriggerInstanceRepository(trx).create({
        id,
        trigger,
        parameters,
        payload: dispatch.payload as Record<string, unknown>,
        status: 'pending',
        traceTag: dispatch.traceTag ?? id,
        source: dispatch.source,
        context: { sensor: sensorRef },
      });
    });
    return id;
  }
}
