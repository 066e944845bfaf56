/**
 * What a pack sensor sees: StackStorm's sensor API in TypeScript. A sensor
 * module exports a class (named as the metadata's `class_name`, or as the
 * default export); the container constructs it with
 * `(sensorService, config, pollInterval)` in a process of its own.
 */

/**
 * A trigger a rule watches: a trigger type of the sensor with the rule's
 * parameters. Triggers with the same type and parameters are one trigger.
 */
export interface SensorTrigger {
  /** Stable for the same type and parameters. */
  id: string;
  /** The trigger type's ref, e.g. `examples.file_line`. */
  type: string;
  parameters: Record<string, unknown>;
}

export interface SensorLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * `local` (the default) keeps the key to this sensor: its name is prefixed
 * with `<pack>.<class_name>:`, as StackStorm does. Keys are system-scope keys.
 */
export interface KeyValueOptions {
  local?: boolean;
}

export interface StoredValue {
  /** The full name, prefix included. */
  name: string;
  /** A secret's plaintext only when listed with `decrypt`; otherwise undefined. */
  value?: string;
  secret: boolean;
  /** ISO 8601, when the key has a TTL. */
  expireAt?: string;
}

export interface SensorService {
  /**
   * Records a trigger instance (status `pending`) for the gateways' rules
   * engine. `trigger` is a trigger type's ref (or, for the sensor's own trigger
   * types, its name), or a trigger given to `addTrigger`, whose parameters
   * rules match. The payload is checked against the type's payload_schema.
   * Resolves with the trigger instance's id; rejects on an unknown trigger
   * type or a payload that breaks its schema, naming the field.
   */
  dispatch(trigger: string | { type: string; parameters?: Record<string, unknown> }, payload?: Record<string, unknown>, traceTag?: string): Promise<string>;
  getValue(name: string, options?: KeyValueOptions & { decrypt?: boolean }): Promise<string | undefined>;
  /** `ttl` in seconds; `encrypt` stores a secret (needs the datastore key). */
  setValue(name: string, value: string, options?: KeyValueOptions & { ttl?: number; encrypt?: boolean }): Promise<void>;
  /** Whether there was such a key. */
  deleteValue(name: string, options?: KeyValueOptions): Promise<boolean>;
  /** Keys whose name starts with the prefix (after the sensor's own prefix when `local`). */
  listValues(options?: KeyValueOptions & { prefix?: string; decrypt?: boolean }): Promise<StoredValue[]>;
  logger: SensorLogger;
}

/** Hooks a sensor may define; the container calls only those it has. */
export interface SensorHooks {
  setup?(): void | Promise<void>;
  cleanup?(): void | Promise<void>;
  /** A rule started watching a trigger of one of the sensor's trigger types (also called for each at start). */
  addTrigger?(trigger: SensorTrigger): void | Promise<void>;
  /**
   * For ports of StackStorm sensors. A Tempest trigger is its type and
   * parameters, so a rule's change arrives as removeTrigger then addTrigger.
   */
  updateTrigger?(trigger: SensorTrigger): void | Promise<void>;
  /** No enabled rule watches the trigger any more. */
  removeTrigger?(trigger: SensorTrigger): void | Promise<void>;
}

/** A sensor module's export: a class constructed with the service, the pack's config and the poll interval. */
export type SensorClass = new (sensorService: SensorService, config: Record<string, unknown>, pollInterval?: number) => SensorHooks & {
  run?(): void | Promise<void>;
  poll?(): void | Promise<void>;
  pollInterval?: number;
};

/**
 * A sensor that runs on its own: `run()` starts its work (a server, a
 * subscription, a loop) and may return while that work goes on; the process
 * stays up as long as something is pending in it. A sensor whose process ends
 * or throws is restarted.
 */
export abstract class Sensor implements SensorHooks {
  constructor(
    readonly sensorService: SensorService,
    readonly config: Record<string, unknown> = {},
  ) {}

  setup(): void | Promise<void> {}
  abstract run(): void | Promise<void>;
  cleanup(): void | Promise<void> {}
}

/** StackStorm's default, when the metadata names no poll_interval. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;

/**
 * A sensor that `poll()`s: the next poll starts `pollInterval` seconds after
 * the previous one ended, so polls never overlap.
 */
export abstract class PollingSensor implements SensorHooks {
  pollInterval: number;

  constructor(
    readonly sensorService: SensorService,
    readonly config: Record<string, unknown> = {},
    pollInterval: number = DEFAULT_POLL_INTERVAL_SECONDS,
  ) {
    this.pollInterval = pollInterval;
  }

  setup(): void | Promise<void> {}
  abstract poll(): void | Promise<void>;
  cleanup(): void | Promise<void> {}

  getPollInterval(): number {
    return this.pollInterval;
  }

  /** Takes effect from the next wait. */
  setPollInterval(seconds: number): void {
    this.pollInterval = seconds;
  }
}
