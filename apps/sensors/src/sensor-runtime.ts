import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
// Not the config barrel: it would load the validator (zod) into every sensor's process for one function.
import { findRepoRoot } from '@tempest/config/repo-root';
import { createLogger, type Logger } from '@tempest/logging';
import * as sensorApi from '@tempest/sensor-api';
import type { SensorClass, SensorHooks, SensorService, SensorTrigger } from '@tempest/sensor-api';
import type { FromSensor, SensorCallMethod, SensorStart, ToSensor } from './ipc';

// One pack sensor, in a process of its own (forked by the container with an
// IPC channel). Its sensor service forwards every call to the container, which
// holds the database connection and the sensor's lease.

type Instance = InstanceType<SensorClass>;

const STOP_GRACE_MS = 5_000;
// The nodejs runner's loader: TypeScript compiled in memory, imports resolved from the pack.
const { loadModule } = createRequire(__filename)(join(findRepoRoot(), 'libs/runners/node/load-module.js')) as { loadModule(file: string): unknown };

let logger: Logger = createLogger('sensors', 'info');
let instance: Instance | undefined;
let stopping = false;
let wakeUp: (() => void) | undefined;
const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
let nextCall = 1;

function send(message: FromSensor): void {
  process.send?.(message);
}

/**
 * The IPC channel keeps the process alive only while a call waits for its
 * answer: a sensor whose run() returned and left nothing running ends, and is
 * restarted like one that failed.
 */
function holdChannel(): void {
  const channel = process.channel as { ref?(): void; unref?(): void } | undefined;
  if (pending.size > 0 || !instance) channel?.ref?.();
  else channel?.unref?.();
}

function call(method: SensorCallMethod, ...args: unknown[]): Promise<never> {
  const id = nextCall++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    holdChannel();
    send({ kind: 'call', id, method, args });
  });
}

function sensorService(): SensorService {
  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => logger[level](fields ?? {}, message);
  return {
    dispatch: (trigger, payload = {}, traceTag) => call('dispatch', trigger, payload, traceTag),
    getValue: (name, options = {}) => call('getValue', name, options),
    setValue: (name, value, options = {}) => call('setValue', name, value, options),
    deleteValue: (name, options = {}) => call('deleteValue', name, options),
    listValues: (options = {}) => call('listValues', options),
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
  };
}

/** The sensor class: the export named as class_name, else the default export, else module.exports. */
function sensorClass(exported: unknown, start: SensorStart): SensorClass {
  const module = exported as Record<string, unknown> | undefined;
  const candidate = module?.[start.className] ?? module?.default ?? exported;
  if (typeof candidate !== 'function') {
    throw new TypeError(`${start.file} exports no class ${start.className} (export it by that name, or as the default export)`);
  }
  return candidate as SensorClass;
}

/** `@tempest/sensor-api` resolves to the container's own copy, so a sensor can extend Sensor or PollingSensor. */
function provideSensorApi(): void {
  const loader = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
  const load = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === '@tempest/sensor-api' ? sensorApi : load.call(this, request, ...rest);
  };
}

async function hook(name: keyof SensorHooks, trigger: SensorTrigger): Promise<void> {
  await (instance?.[name] as ((t: SensorTrigger) => unknown) | undefined)?.call(instance, trigger);
}

async function run(start: SensorStart): Promise<void> {
  logger = createLogger('sensors', start.logLevel).child({ sensor: start.ref });
  provideSensorApi();
  const Class = sensorClass(loadModule(start.file), start);
  instance = new Class(sensorService(), start.config, start.pollInterval ?? sensorApi.DEFAULT_POLL_INTERVAL_SECONDS);
  await instance.setup?.();
  for (const trigger of start.triggers) await hook('addTrigger', trigger);
  send({ kind: 'running' });
  holdChannel();
  if (typeof instance.poll === 'function') {
    while (!stopping) {
      await instance.poll();
      const seconds = Number(instance.pollInterval ?? start.pollInterval ?? sensorApi.DEFAULT_POLL_INTERVAL_SECONDS);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, seconds * 1000);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } else if (typeof instance.run === 'function') {
    await instance.run();
  } else {
    throw new TypeError(`${start.className} has neither run() (a Sensor) nor poll() (a PollingSensor)`);
  }
}

/** Stops the sensor: cleanup(), then exit; a cleanup that hangs is cut short. */
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    wakeUp?.();
    const timeout = new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    try {
      await Promise.race([Promise.resolve(instance?.cleanup?.()), timeout]);
    } catch (error) {
      logger.warn({ err: error }, 'sensor cleanup failed');
    }
  }
  process.exit(code);
}

function fail(error: unknown): void {
  logger.error({ err: error }, `sensor failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
// The container decides when a sensor stops: Ctrl-C reaches the whole process group, and the
// container then stops its sensors in order. A SIGTERM sent to the sensor itself stops it cleanly.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => void stop(0));
// The container is gone (killed, crashed): nobody can take the events any more.
process.on('disconnect', () => void stop(0));
process.on('message', (message: ToSensor) => {
  switch (message.kind) {
    case 'start':
      run(message.start).then(() => holdChannel(), fail);
      break;
    case 'reply': {
      const call = pending.get(message.id);
      pending.delete(message.id);
      holdChannel();
      // JSON has no undefined: a missing value comes back as null.
      if (message.ok) call?.resolve(message.value ?? undefined);
      else call?.reject(new Error(message.error));
      break;
    }
    case 'triggers':
      void (async () => {
        for (const trigger of message.removed) await hook('removeTrigger', trigger);
        for (const trigger of message.added) await hook('addTrigger', trigger);
      })().catch(fail);
      break;
    case 'stop':
      void stop(0);
      break;
  }
});
