import type { SensorTrigger } from '@tempest/sensor-api';

/** What the container tells a sensor process to run. */
export interface SensorStart {
  ref: string;
  pack: string;
  className: string;
  /** The pack's folder. */
  packDir: string;
  /** The module's absolute path. */
  file: string;
  /** Seconds; undefined: the PollingSensor default. */
  pollInterval?: number;
  config: Record<string, unknown>;
  triggers: SensorTrigger[];
  logLevel: string;
}

/** The sensor service's calls, answered by the container. */
export type SensorCallMethod = 'dispatch' | 'getValue' | 'setValue' | 'deleteValue' | 'listValues';

export type ToSensor =
  | { kind: 'start'; start: SensorStart }
  | { kind: 'triggers'; added: SensorTrigger[]; removed: SensorTrigger[] }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: string }
  | { kind: 'stop' };

export type FromSensor = { kind: 'call'; id: number; method: SensorCallMethod; args: unknown[] } | { kind: 'running' };
