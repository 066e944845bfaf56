import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CHAOS_ACTION = 'chaos.record';
export const CHAOS_HOOK = 'chaos';

/**
 * The chaos run's pack, written under `root/packs`: the webhook `chaos` runs
 * `chaos.record` with the event's id, which appends `start <event>
 * <execution>` to the ledger, sleeps (so kills land mid-run), then appends
 * `end <event> <execution>`. The ledger is the outside record of what ran,
 * independent of Tempest's own: one line is one write(2) with O_APPEND, so
 * concurrent runs never interleave within a line.
 */
export function writeChaosPack(root: string, ledger: string, actionMs: number, sensor?: SensorSource): string {
  const pack = join(root, 'packs', 'chaos');
  mkdirSync(join(pack, 'actions'), { recursive: true });
  mkdirSync(join(pack, 'rules'), { recursive: true });
  writeFileSync(join(pack, 'pack.yaml'), ['ref: chaos', 'name: chaos', 'description: apps/bench chaos run', 'version: 0.1.0', 'author: apps/bench', ''].join('\n'));
  const script = join(pack, 'actions', 'record.sh');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      // The parent (the worker that started it) and the time, as evidence of who ran it and when.
      `echo "start $1 $ST2_ACTION_EXECUTION_ID $PPID $(date +%s.%N)" >> '${ledger}'`,
      `sleep ${(actionMs / 1000).toFixed(3)}`,
      `echo "end $1 $ST2_ACTION_EXECUTION_ID $PPID $(date +%s.%N)" >> '${ledger}'`,
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  writeFileSync(
    join(pack, 'actions', 'record.yaml'),
    [
      'name: record',
      'runner_type: local-shell-script',
      'entry_point: record.sh',
      'description: Appends start and end lines for one event to the chaos ledger',
      'enabled: true',
      'parameters:',
      '  event: { type: string, required: true, position: 0 }',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(pack, 'rules', 'record_webhook.yaml'),
    [
      'name: record_webhook',
      'pack: chaos',
      'description: Every event posted to the chaos webhook is recorded once',
      'enabled: true',
      'trigger:',
      '  type: core.st2.webhook',
      '  parameters:',
      `    url: ${CHAOS_HOOK}`,
      'action:',
      `  ref: ${CHAOS_ACTION}`,
      '  parameters:',
      '    event: "{{ trigger.body.event }}"',
      '',
    ].join('\n'),
  );
  if (sensor) writeSensor(pack, sensor);
  return join(root, 'packs');
}

/** A file the sensor container tails, and the sensor's code (packs/examples' file tail sensor). */
export interface SensorSource {
  file: string;
  code: string;
}

export const SENSOR_TRIGGER = 'chaos.file_line';

/**
 * Events from the sensor container: the file tail sensor dispatches each line
 * appended to `file` as chaos.file_line, and a rule runs chaos.record with the
 * line as the event's id.
 */
function writeSensor(pack: string, sensor: SensorSource): void {
  mkdirSync(join(pack, 'sensors'), { recursive: true });
  writeFileSync(join(pack, 'sensors', 'file_tail.ts'), sensor.code);
  writeFileSync(
    join(pack, 'sensors', 'file_tail.yaml'),
    [
      'class_name: FileTailSensor',
      'entry_point: file_tail.ts',
      'description: Tails the chaos run\'s sensor file',
      'enabled: true',
      'poll_interval: 1',
      'trigger_types:',
      '  - name: file_line',
      '    description: A line was appended to a watched file',
      '    parameters_schema: { type: object, properties: { path: { type: string } }, required: [path], additionalProperties: false }',
      '    payload_schema: { type: object, properties: { path: { type: string }, line: { type: string } }, required: [path, line] }',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(pack, 'rules', 'record_sensor_line.yaml'),
    [
      'name: record_sensor_line',
      'pack: chaos',
      'description: Every line the sensor reads is recorded once',
      'enabled: true',
      'trigger:',
      `  type: ${SENSOR_TRIGGER}`,
      '  parameters:',
      `    path: '${sensor.file}'`,
      'action:',
      `  ref: ${CHAOS_ACTION}`,
      '  parameters:',
      '    event: "{{ trigger.line }}"',
      '',
    ].join('\n'),
  );
}
