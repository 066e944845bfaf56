import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';

/** The TypeScript workflow of `tsflows.hello`, as its pack ships it at `version`. */
export function helloWorkflow(version: number): string {
  return `import { actions, run, type ShellResult } from '@tempest/workflow-sdk';

export async function hello(input: { name: string }) {
  const greeting = await actions.core.local({ cmd: 'echo "hello $NAME"', env: { NAME: input.name } }, { task: 'greet' });
  const shout = (await run('core.local', { cmd: \`echo '\${greeting.stdout}' | tr a-z A-Z\` })) as ShellResult;
  return { greeting: greeting.stdout, shout: shout.stdout, version: ${version} };
}
`;
}

/** A pack of TypeScript workflows (runner temporal-workflow) calling core actions. */
export const TS_FLOWS: Record<string, string> = {
  'pack.yaml': 'ref: tsflows\nname: tsflows\ndescription: TypeScript workflows.\nversion: 0.1.0\nauthor: Tempest\nemail: tempest@example.com\n',
  'actions/hello.yaml': 'name: hello\nrunner_type: temporal-workflow\nentry_point: workflows/hello.ts\nparameters:\n  function:\n    default: hello\n  name:\n    type: string\n    required: true\n    maxLength: 20\n',
  'actions/workflows/hello.ts': helloWorkflow(1),
  // Waits for the signal `go` (sent to its workflow, `<execution id>/ts`), then answers which code it ran.
  'actions/gated.yaml': 'name: gated\nrunner_type: temporal-workflow\nentry_point: workflows/gated.ts\n',
  'actions/workflows/gated.ts': [
    "import { condition, defineSignal, setHandler } from '@temporalio/workflow';",
    "import { actions } from '@tempest/workflow-sdk';",
    "import { CODE } from './code';",
    '',
    "export const go = defineSignal('go');",
    '',
    'export default async function gated(): Promise<{ code: string }> {',
    '  let released = false;',
    '  setHandler(go, () => void (released = true));',
    "  await actions.core.local({ cmd: 'echo waiting' }, { task: 'wait' });",
    '  await condition(() => released);',
    '  return { code: CODE };',
    '}',
    '',
  ].join('\n'),
  'actions/workflows/code.ts': "export const CODE = 'first';\n",
  // Asks a human, then echoes the answer: the question is a child execution (core.ask), an inquiry.
  'actions/asking.yaml': 'name: asking\nrunner_type: temporal-workflow\nentry_point: workflows/asking.ts\nparameters:\n  function:\n    default: asking\n',
  'actions/workflows/asking.ts': [
    "import { actions, ask } from '@tempest/workflow-sdk';",
    '',
    'export async function asking() {',
    "  const answer = await ask<{ approved: boolean }>({ type: 'object', properties: { approved: { type: 'boolean' } }, required: ['approved'] }, { route: 'oncall', ttl: 10, task: 'approve' });",
    "  const said = await actions.core.local({ cmd: `echo approved=${answer.approved}` }, { task: 'after' });",
    '  return { approved: answer.approved, said: said.stdout };',
    '}',
    '',
  ].join('\n'),
  // Two actions one after the other: a pause asked for while the first runs holds the second.
  'actions/steps.yaml': 'name: steps\nrunner_type: temporal-workflow\nentry_point: workflows/steps.ts\nparameters:\n  function:\n    default: steps\n',
  'actions/workflows/steps.ts': [
    "import { actions } from '@tempest/workflow-sdk';",
    '',
    'export async function steps() {',
    "  await actions.core.local({ cmd: 'sleep 3' }, { task: 'slow' });",
    "  const after = await actions.core.local({ cmd: 'echo after' }, { task: 'after' });",
    '  return { after: after.stdout };',
    '}',
    '',
  ].join('\n'),
  // An Orquesta workflow whose task is the steps TypeScript workflow: a pause of it reaches the TypeScript one.
  'actions/call_steps.yaml': 'name: call_steps\nrunner_type: orquesta\nentry_point: workflows/call_steps.yaml\n',
  'actions/workflows/call_steps.yaml': 'version: 1.0\ntasks:\n  steps:\n    action: tsflows.steps\n',
  'actions/failing.yaml': 'name: failing\nrunner_type: temporal-workflow\nentry_point: workflows/failing.ts\nparameters:\n  function:\n    default: failing\n',
  'actions/workflows/failing.ts': [
    "import { run } from '@tempest/workflow-sdk';",
    '',
    'export async function failing() {',
    "  await run('core.local', { cmd: 'echo disk on fire >&2; exit 3' }, { task: 'break' });",
    "  return 'never';",
    '}',
    '',
  ].join('\n'),
  'actions/missing_export.yaml': 'name: missing_export\nrunner_type: temporal-workflow\nentry_point: workflows/failing.ts\nparameters:\n  function:\n    default: nonesuch\n',
  'actions/secretive.yaml': 'name: secretive\nrunner_type: temporal-workflow\nentry_point: workflows/failing.ts\nparameters:\n  function:\n    default: failing\n  token:\n    type: string\n    secret: true\n    required: true\n',
  // An Orquesta workflow whose task is a TypeScript workflow.
  'actions/call_hello.yaml': 'name: call_hello\nrunner_type: orquesta\nentry_point: workflows/call_hello.yaml\n',
  'actions/workflows/call_hello.yaml': [
    'version: 1.0',
    'tasks:',
    '  greet:',
    '    action: tsflows.hello',
    '    input:',
    '      name: orquesta',
    '    next:',
    '      - when: <% succeeded() %>',
    '        publish: shout=<% result().shout %>',
    'output:',
    '  - shout: <% ctx(shout) %>',
    '',
  ].join('\n'),
  'rules/hello_hook.yaml': [
    'name: hello_hook',
    'pack: tsflows',
    'enabled: true',
    'trigger:',
    '  type: core.st2.webhook',
    '  parameters:',
    '    url: hello',
    'action:',
    '  ref: tsflows.hello',
    '  parameters:',
    '    name: "{{ trigger.body.name }}"',
    '',
  ].join('\n'),
};

/** A pack whose workflow does I/O: its bundle is refused. */
export const TS_BROKEN: Record<string, string> = {
  'pack.yaml': 'ref: tsbroken\nname: tsbroken\ndescription: A TypeScript workflow that reads a file.\nversion: 0.1.0\nauthor: Tempest\nemail: tempest@example.com\n',
  'actions/reads_disk.yaml': 'name: reads_disk\nrunner_type: temporal-workflow\nentry_point: reads_disk.ts\n',
  'actions/reads_disk.ts': "import { readFileSync } from 'node:fs';\n\nexport default async function readsDisk() {\n  return readFileSync('/etc/hostname', 'utf8');\n}\n",
};

/** Writes the core and examples packs, the tsflows pack and the tsbroken pack into `packsDir`. */
export function writeTsFlowsPacks(packsDir: string): void {
  for (const pack of ['core', 'examples']) cpSync(join(findRepoRoot(), 'packs', pack), join(packsDir, pack), { recursive: true });
  for (const [file, text] of Object.entries(TS_FLOWS)) writePackFile(packsDir, file, text);
  for (const [file, text] of Object.entries(TS_BROKEN)) writePackFile(packsDir, file, text, 'tsbroken');
}

export function writePackFile(packsDir: string, file: string, text: string, pack = 'tsflows'): void {
  mkdirSync(join(packsDir, pack, file, '..'), { recursive: true });
  writeFileSync(join(packsDir, pack, file), text);
}
