import type { DatastoreService } from '@tempest/datastore';
import type { StoredValue } from '@tempest/sensor-api';
import type { SensorCallMethod } from './ipc';
import type { TriggerDispatcher } from './trigger-dispatcher';

export interface SensorIdentity {
  ref: string;
  pack: string;
  className: string;
  /** Refs of the trigger types the sensor declares. */
  triggerTypes: string[];
}

type Options = { local?: boolean; decrypt?: boolean; ttl?: number; encrypt?: boolean; prefix?: string };

/**
 * The container's side of one sensor's service: dispatches and datastore
 * calls, as the sensor process sends them. Datastore keys are system keys;
 * `local` ones are prefixed `<pack>.<class_name>:`, as in StackStorm.
 */
export function sensorCalls(sensor: SensorIdentity, dispatcher: TriggerDispatcher, datastore: DatastoreService): (method: SensorCallMethod, args: unknown[]) => Promise<unknown> {
  const prefix = `${sensor.pack}.${sensor.className}:`;
  const key = (name: unknown, options: Options = {}) => ({ scope: 'system' as const, name: `${options.local === false ? '' : prefix}${String(name)}` });
  const triggerRef = (ref: string) => (!sensor.triggerTypes.includes(ref) && sensor.triggerTypes.includes(`${sensor.pack}.${ref}`) ? `${sensor.pack}.${ref}` : ref);

  return async (method, args) => {
    switch (method) {
      case 'dispatch': {
        const [trigger, payload, traceTag] = args as [unknown, unknown, string | undefined];
        const { type, parameters } = typeof trigger === 'object' && trigger !== null ? (trigger as { type: string; parameters?: Record<string, unknown> }) : { type: trigger as string, parameters: {} };
        return dispatcher.dispatch({ sensorRef: sensor.ref, trigger: triggerRef(type), parameters, payload, traceTag: traceTag ?? undefined, source: 'sensor' });
      }
      case 'getValue': {
        const [name, options] = args as [string, Options];
        const entry = await datastore.find(key(name, options), { decrypt: options?.decrypt ?? false });
        return entry?.value ?? entry?.encryptedValue;
      }
      case 'setValue': {
        const [name, value, options] = args as [string, string, Options];
        await datastore.set(key(name, options), { value, secret: options?.encrypt ?? false, ttl: options?.ttl });
        return undefined;
      }
      case 'deleteValue': {
        const [name, options] = args as [string, Options];
        return (await datastore.delete(key(name, options))) !== undefined;
      }
      case 'listValues': {
        const [options] = args as [Options];
        const entries = await datastore.list({ scope: 'system', prefix: key(options?.prefix ?? '', options).name, decrypt: options?.decrypt ?? false });
        return entries.map((e): StoredValue => ({ name: e.name, value: e.value, secret: e.secret, expireAt: e.expireAt?.toISOString() }));
      }
    }
  };
}
