import { fork, spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { findRepoRoot } from '@tempest/config';
import type { Logger } from '@tempest/logging';
import { packPython } from '@tempest/packs';
import type { SensorTrigger } from '@tempest/sensor-api';
import { RESTART_BACKOFF, restartDelay } from './backoff';
import type { FromSensor, SensorCallMethod, SensorStart, ToSensor } from './ipc';

/** What a sensor process inherits from the container: never its database URL or keys. */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'USER', 'LOGNAME', 'TMPDIR', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'NODE_EXTRA_CA_CERTS'];
const STOP_TIMEOUT_MS = 8_000;
/** StackStorm's Python classes (st2reactor, st2common) and the Python sensor runtime. */
const PYTHON_SUPPORT = join(findRepoRoot(), 'libs/runners/python');

export interface ProcessEvent {
  pid: number;
  cmd: string;
}

export interface SensorProcessOptions {
  ref: string;
  /** The compiled sensor-runtime.js. */
  runtimeFile: string;
  /** What to run, read afresh for every (re)start: the config may have changed. */
  prepare(): Promise<SensorStart>;
  /** Answers the sensor service's calls (dispatch, datastore). */
  handleCall(method: SensorCallMethod, args: unknown[]): Promise<unknown>;
  onSpawn(event: ProcessEvent): Promise<void>;
  onExit(event: ProcessEvent & { exitCode: number | null; signal: string | null }): Promise<void>;
  logger: Logger;
  backoff?: typeof RESTART_BACKOFF;
}

/**
 * One sensor in a child process of its own, so a crash takes only it down. A
 * process that ends without being asked to is started again after a wait that
 * doubles with each failure in a row (capped). Spawn and exit notifications
 * go out in the order they happened.
 */
export class SensorProcess {
  private child?: ChildProcess;
  private exited: Promise<void> = Promise.resolve();
  private stopped = false;
  private failures = 0;
  private restartTimer?: NodeJS.Timeout;
  private events: Promise<void> = Promise.resolve();

  constructor(private readonly options: SensorProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    void this.spawn();
  }

  /** Asks the sensor to clean up and exit; kills it if it does not. No restart follows. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child) {
      this.send(child, { kind: 'stop' });
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(kill);
    }
    await this.events;
  }

  updateTriggers(added: SensorTrigger[], removed: SensorTrigger[]): void {
    if (this.child && (added.length > 0 || removed.length > 0)) this.send(this.child, { kind: 'triggers', added, removed });
  }

  private async spawn(): Promise<void> {
    if (this.stopped) return;
    const { logger, ref } = this.options;
    let start: SensorStart;
    try {
      start = await this.options.prepare();
    } catch (error) {
      logger.error({ sensor: ref, err: error }, 'cannot start the sensor');
      return this.scheduleRestart(Date.now());
    }
    if (this.stopped) return;
    const startedAt = Date.now();
    const env: Record<string, string> = {};
    for (const name of INHERITED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name]!;
    const python = start.file.endsWith('.py');
    let interpreter = 'python3';
    if (python) {
      try {
        // The pack's own virtualenv when it has a requirements.txt (made here if it is not there yet).
        interpreter = (await packPython(start.packDir, start.pack)) ?? interpreter;
      } catch (error) {
        logger.error({ sensor: ref, err: error }, `cannot start the sensor: ${(error as Error).message}`);
        return this.scheduleRestart(Date.now());
      }
      if (this.stopped) return;
    }
    const [command, args] = python ? [interpreter, [join(PYTHON_SUPPORT, 'tempest_python_sensor.py'), ref]] : [process.execPath, [this.options.runtimeFile, ref]];
    const options = { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] as ('ignore' | 'pipe' | 'ipc')[], serialization: 'json' as const };
    const child = python
      ? // StackStorm's Python sensors: the same channel, spoken by tempest_python_sensor.py; the sensor's folder on sys.path, as in StackStorm.
        spawn(command, args, { ...options, env: { ...env, PYTHONPATH: [PYTHON_SUPPORT, dirname(start.file)].join(':'), PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' } })
      : fork(this.options.runtimeFile, [ref], { ...options, env: { ...env, NODE_PATH: join(findRepoRoot(), 'node_modules') } });
    this.child = child;
    const event: ProcessEvent = { pid: child.pid ?? 0, cmd: [command, ...args].join(' ') };
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.onExit(child, event, code, signal, startedAt);
        resolve();
      });
    });
    child.on('error', (error) => logger.error({ sensor: ref, err: error }, 'sensor process error'));
    this.pipeOutput(child);
    child.on('message', (message: FromSensor) => this.onMessage(child, message));
    this.notify(() => this.options.onSpawn(event));
    logger.info({ sensor: ref, pid: child.pid }, 'sensor started');
    this.send(child, { kind: 'start', start });
  }

  private onExit(child: ChildProcess, event: ProcessEvent, exitCode: number | null, signal: string | null, startedAt: number): void {
    if (this.child === child) this.child = undefined;
    this.notify(() => this.options.onExit({ ...event, exitCode, signal }));
    if (this.stopped) {
      this.options.logger.info({ sensor: this.options.ref, pid: event.pid, exitCode }, 'sensor stopped');
      return;
    }
    this.scheduleRestart(startedAt, exitCode, signal);
  }

  private scheduleRestart(startedAt: number, exitCode?: number | null, signal?: string | null): void {
    const backoff = this.options.backoff ?? RESTART_BACKOFF;
    if (Date.now() - startedAt >= backoff.resetAfterMs) this.failures = 0;
    this.failures += 1;
    const delayMs = restartDelay(this.failures, backoff);
    this.options.logger.warn({ sensor: this.options.ref, exitCode, signal, failures: this.failures, restartInMs: delayMs }, 'sensor exited; restarting it');
    this.restartTimer = setTimeout(() => void this.spawn(), delayMs);
  }

  private onMessage(child: ChildProcess, message: FromSensor): void {
    if (message.kind === 'running') {
      this.options.logger.debug({ sensor: this.options.ref }, 'sensor running');
      return;
    }
    if (message.kind !== 'call') return;
    this.options.handleCall(message.method, message.args).then(
      (value) => this.send(child, { kind: 'reply', id: message.id, ok: true, value: value ?? null }),
      (error: Error) => this.send(child, { kind: 'reply', id: message.id, ok: false, error: error.message }),
    );
  }

  /** Sensor log lines (JSON) pass through as they are; anything else the sensor prints is logged for it. */
  private pipeOutput(child: ChildProcess): void {
    for (const [stream, input] of [['stdout', child.stdout!], ['stderr', child.stderr!]] as const) {
      createInterface({ input }).on('line', (line) => {
        if (line.startsWith('{"level"')) process.stdout.write(`${line}\n`);
        else this.options.logger.info({ sensor: this.options.ref, pid: child.pid, stream }, line);
      });
    }
  }

  private notify(event: () => Promise<void>): void {
    this.events = this.events.then(event).catch((error) => this.options.logger.warn({ sensor: this.options.ref, err: error }, 'cannot record a sensor process event'));
  }

  private send(child: ChildProcess, message: ToSensor): void {
    if (child.connected) child.send(message);
  }
}
