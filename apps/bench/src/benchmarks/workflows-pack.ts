import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The pack the workflows benchmark registers, and removes when it is done. */
export const BENCH_PACK = 'bench_workflows';

/** A chain of `count` core.noop tasks, each started when the one before it succeeded. */
function sequential(count: number): string {
  const tasks = Array.from({ length: count }, (_, i) => {
    const next = i + 1 < count ? ['    next:', '      - when: <% succeeded() %>', `        do: t${i + 2}`] : [];
    return [`  t${i + 1}:`, '    action: core.noop', ...next].join('\n');
  });
  return ['version: 1.0', 'tasks:', ...tasks, ''].join('\n');
}

const orquestaAction = (name: string, extra: string[] = []) =>
  [`name: ${name}`, 'runner_type: orquesta', `entry_point: workflows/${name}.yaml`, ...extra, ''].join('\n');

/** The benchmark's three shapes: 10 tasks in sequence, 3 in sequence, and one with-items task at concurrency 10. */
export const BENCH_PACK_FILES: Record<string, string> = {
  'pack.yaml': [`ref: ${BENCH_PACK}`, `name: ${BENCH_PACK}`, 'description: apps/bench workflows benchmark (removed after each run)', 'version: 0.1.0', 'author: apps/bench', 'email: bench@example.com', ''].join('\n'),
  'actions/sequential_10.yaml': orquestaAction('sequential_10'),
  'actions/workflows/sequential_10.yaml': sequential(10),
  'actions/sequential_3.yaml': orquestaAction('sequential_3'),
  'actions/workflows/sequential_3.yaml': sequential(3),
  'actions/items.yaml': orquestaAction('items', ['parameters:', '  items:', '    type: array', '    required: true']),
  'actions/workflows/items.yaml': [
    'version: 1.0',
    'input:',
    '  - items',
    'tasks:',
    '  each:',
    '    with:',
    '      items: <% ctx(items) %>',
    '      concurrency: 10',
    '    action: core.noop',
    '',
  ].join('\n'),
};

/** Writes the pack into `<packsDir>/bench_workflows`; returns its folder. */
export function writeBenchPack(packsDir: string): string {
  const folder = join(packsDir, BENCH_PACK);
  for (const [file, text] of Object.entries(BENCH_PACK_FILES)) {
    mkdirSync(dirname(join(folder, file)), { recursive: true });
    writeFileSync(join(folder, file), text);
  }
  return folder;
}
