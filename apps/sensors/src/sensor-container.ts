import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DatastoreService, KeyValueCipher } from '@tempest/datastore';
import { KeyValuePairRepository, listenToPostgres, PackConfigRepository, RuleRepository, SensorLeaseRepository, SensorTypeRepository, type Database, type PostgresListener, type RunnableSensorType } from '@tempest/db';
import type { Logger } from '@tempest/logging';
import type { SensorTrigger } from '@tempest/sensor-api';
import { sensorCalls } from './sensor-calls';
import { SensorProcess, type ProcessEvent } from './sensor-process';
import { TriggerDispatcher } from './trigger-dispatcher';
import { triggerChanges, watchedTriggers } from './watched-triggers';

export interface SensorContainerOptions {
  db: Database;
  databaseUrl: string;
  /** Secrets in the datastore need it; without it they are refused. */
  datastoreKey?: Buffer;
  logger: Logger;
  leaseSeconds: number;
  logLevel: string;
  /** The compiled sensor-runtime.js each sensor process runs. */
  runtimeFile: string;
}

interface RunningSensor {
  sensor: RunnableSensorType;
  process: SensorProcess;
  /** When the lease runs out by this container's clock, counted from before the renewal was asked for. */
  heldUntil: number;
  /** The triggers the sensor process was given. */
  triggers: Map<string, SensorTrigger>;
}

const SPAWN_TRIGGER = 'core.st2.sensor.process_spawn';
const EXIT_TRIGGER = 'core.st2.sensor.process_exit';

/**
 * Runs the enabled pack sensors this container holds a lease on, each in a
 * process of its own. Every third of the lease it renews its leases and takes
 * those of sensors nobody holds (or whose holder let them expire); it follows
 * enables, disables and rule changes at once through LISTEN. A sensor whose
 * lease is lost, or runs out while the database cannot be reached, is
 * stopped: another container may run it by then.
 */
export class SensorContainer {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly running = new Map<string, RunningSensor>();
  private readonly stopping = new Map<string, Promise<void>>();
  private readonly sensorTypes: SensorTypeRepository;
  private readonly leases: SensorLeaseRepository;
  private readonly dispatcher: TriggerDispatcher;
  private triggersByType = new Map<string, Map<string, SensorTrigger>>();
  /** The rules are read again only after a change was notified (or notifications may have been missed). */
  private rulesStale = true;
  private listener?: PostgresListener;
  private timer?: NodeJS.Timeout;
  private reconciling?: Promise<void>;
  private again = false;
  private closed = false;
  private reachable = true;

  constructor(private readonly options: SensorContainerOptions) {
    this.sensorTypes = new SensorTypeRepository(options.db);
    this.leases = new SensorLeaseRepository(options.db);
    this.dispatcher = new TriggerDispatcher(options.db, this.owner);
  }

  get sensorCount(): number {
    return this.running.size;
  }

  async start(): Promise<void> {
    const { logger } = this.options;
    this.listener = listenToPostgres(this.options.databaseUrl, {
      channels: { tempest_sensors: () => void this.reconcileSoon(), tempest_rules: () => this.rulesChanged() },
      onConnected: () => this.rulesChanged(),
      onError: (error) => logger.warn({ err: error.message }, 'lost the database notifications; reconnecting'),
      applicationName: 'tempest-sensors-listener',
    });
    this.timer = setInterval(() => {
      this.stopExpired();
      void this.reconcileSoon();
    }, (this.options.leaseSeconds * 1000) / 3);
    await this.listener.ready;
    await this.reconcileSoon();
  }

  /** Stops every sensor, then gives up the leases so another container takes them over at once. */
  async stop(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.listener?.close();
    await this.reconciling;
    for (const ref of [...this.running.keys()]) this.stopSensor(ref, 'the container is stopping', false);
    await Promise.all(this.stopping.values());
    await this.leases.release(this.owner).catch((error) => this.options.logger.warn({ err: error }, 'cannot give up the sensor leases; they expire on their own'));
  }

  private rulesChanged(): void {
    this.rulesStale = true;
    void this.reconcileSoon();
  }

  /** One reconciliation at a time; a request during one runs another right after it. */
  private reconcileSoon(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.reconciling) {
      this.again = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      do {
        this.again = false;
        try {
          await this.reconcile();
          if (!this.reachable) this.options.logger.info('database reachable again');
          this.reachable = true;
        } catch (error) {
          if (this.reachable) this.options.logger.warn({ err: (error as Error).message }, 'cannot renew the sensor leases');
          this.reachable = false;
        }
      } while (this.again && !this.closed);
    })().finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  private async reconcile(): Promise<void> {
    const wanted = new Map((await this.sensorTypes.searchRunnable()).map((s) => [s.ref, s]));
    if (this.rulesStale) {
      this.rulesStale = false;
      try {
        this.triggersByType = watchedTriggers(await new RuleRepository(this.options.db).search({ enabled: true }));
      } catch (error) {
        this.rulesStale = true;
        throw error;
      }
    }
    const askedAt = Date.now();
    const held = new Set(await this.leases.acquire(this.owner, [...wanted.keys()], this.options.leaseSeconds));
    // Leases of sensors disabled or removed meanwhile; those still running are released once stopped.
    await this.leases.release(this.owner, { except: [...held, ...this.running.keys(), ...this.stopping.keys()] });
    if (this.closed) return;
    for (const [ref, entry] of this.running) {
      const sensor = wanted.get(ref);
      if (!sensor) this.stopSensor(ref, 'disabled or removed', true);
      else if (!held.has(ref)) this.stopSensor(ref, 'another container holds its lease', false);
      else if (version(sensor) !== version(entry.sensor)) this.stopSensor(ref, 'its metadata changed', false);
      else {
        entry.heldUntil = askedAt + this.options.leaseSeconds * 1000;
        const triggers = this.triggersOf(sensor);
        const { added, removed } = triggerChanges(entry.triggers, triggers);
        entry.process.updateTriggers(added, removed);
        entry.triggers = triggers;
      }
    }
    for (const ref of held) {
      if (!this.running.has(ref) && !this.stopping.has(ref)) this.startSensor(wanted.get(ref)!, askedAt + this.options.leaseSeconds * 1000);
    }
  }

  /** Without a renewal the lease may already be another container's: stop rather than run a sensor twice. */
  private stopExpired(): void {
    const now = Date.now();
    for (const [ref, entry] of this.running) if (entry.heldUntil <= now) this.stopSensor(ref, 'its lease ran out before it could be renewed', false);
  }

  private triggersOf(sensor: RunnableSensorType): Map<string, SensorTrigger> {
    return new Map(sensor.trigger_types.flatMap((type) => [...(this.triggersByType.get(type)?.entries() ?? [])]));
  }

  private startSensor(sensor: RunnableSensorType, heldUntil: number): void {
    const { logger } = this.options;
    const identity = { ref: sensor.ref, pack: sensor.pack, className: sensor.class_name, triggerTypes: sensor.trigger_types };
    const event = (trigger: string, payload: Record<string, unknown>) =>
      this.dispatcher.dispatch({ sensorRef: sensor.ref, trigger, payload: { id: sensor.class_name, ref: sensor.ref, timestamp: Math.floor(Date.now() / 1000), ...payload }, source: 'sensor' }).then(() => undefined);
    const entry: RunningSensor = { sensor, heldUntil, triggers: new Map(), process: undefined as unknown as SensorProcess };
    entry.process = new SensorProcess({
      ref: sensor.ref,
      runtimeFile: this.options.runtimeFile,
      logger,
      prepare: async () => {
        entry.triggers = this.triggersOf(sensor);
        const config = await new PackConfigRepository(this.options.db, this.options.datastoreKey && new KeyValueCipher(this.options.datastoreKey)).getByPack(sensor.pack);
        return {
          ref: sensor.ref,
          pack: sensor.pack,
          className: sensor.class_name,
          packDir: sensor.pack_path,
          file: join(sensor.pack_path, 'sensors', sensor.entry_point),
          pollInterval: sensor.poll_interval ?? undefined,
          config: config?.values ?? {},
          triggers: [...entry.triggers.values()],
          logLevel: this.options.logLevel,
        };
      },
      handleCall: sensorCalls(identity, this.dispatcher, this.datastoreFor(sensor.ref)),
      onSpawn: ({ pid, cmd }: ProcessEvent) => event(SPAWN_TRIGGER, { pid, cmd }),
      onExit: ({ pid, exitCode, signal }) => event(EXIT_TRIGGER, { pid, exit_code: exitCode, ...(signal ? { signal } : {}) }),
    });
    this.running.set(sensor.ref, entry);
    entry.process.start();
  }

  /** The sensor's datastore: its changes become key_value_pair trigger instances, as changes through the API do. */
  private datastoreFor(sensorRef: string): DatastoreService {
    const datastore = new DatastoreService(new KeyValuePairRepository(this.options.db), this.options.datastoreKey, {
      onListenerError: (error, event) => this.options.logger.warn({ sensor: sensorRef, err: error, trigger: event.trigger }, 'cannot record a datastore change'),
    });
    datastore.onChange((event) => this.dispatcher.dispatch({ sensorRef, trigger: event.trigger, payload: event.payload, source: 'datastore' }).then(() => undefined));
    return datastore;
  }

  private stopSensor(ref: string, reason: string, release: boolean): void {
    const entry = this.running.get(ref);
    if (!entry) return;
    this.running.delete(ref);
    this.options.logger.info({ sensor: ref, reason }, 'stopping sensor');
    const stopped = entry.process
      .stop()
      .then(async () => {
        if (release) await this.leases.release(this.owner, { sensorRefs: [ref] });
      })
      .catch((error) => this.options.logger.warn({ sensor: ref, err: error }, 'cannot give up the sensor lease; it expires on its own'))
      .finally(() => {
        this.stopping.delete(ref);
        // It may be wanted again (a restart after a change, or enabled again meanwhile).
        void this.reconcileSoon();
      });
    this.stopping.set(ref, stopped);
  }
}

/** A new version of the sensor's metadata (or its pack moved): restart it. */
function version(sensor: RunnableSensorType): string {
  return `${sensor.updated_at.toISOString()}|${sensor.pack_path}`;
}
