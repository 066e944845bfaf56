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
export function writeChaosPack(root: string, ledger: string, actionMs: number): string {
  const pack = join(root, 'packs', 'chaos');
  mkdirSync(join(pack, 'actions'), { recursive: true });
  mkdirSync(join(pack, 'rules'), { recursive: true });
  writeFileSync(join(pack, 'pack.yaml'), ['ref: chaos', 'name: chaos', 'description: apps/bench chaos run', 'version: 0.1.0', 'author: apps/bench', ''].join('\n'));
  const script = join(pack, 'actions', 'record.sh');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `echo "start $1 $ST2_ACTION_EXECUTION_ID" >> '${ledger}'`,
      `sleep ${(actionMs / 1000).toFixed(3)}`,
      `echo "end $1 $ST2_ACTION_EXECUTION_ID" >> '${ledger}'`,
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
  return join(root, 'packs');
}
