import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { startTestPlatform, type TestPlatform } from '@tempest/testing';
import { tempestAgainst } from '../testing/cli-harness';
import { runCommand } from './run.command';

const repo = findRepoRoot();
const stackstormExamples = join(repo, 'libs/packs/fixtures/stackstorm/examples/actions');

/** StackStorm's example workflows, unchanged: metadata file and definition. */
const WORKFLOWS: [string, string][] = [
  ['orquesta-join.yaml', 'workflows/orquesta-join.yaml'],
  ['orquesta-fail-manually.yaml', 'workflows/orquesta-fail-manually.yaml'],
  ['echochain.meta.yaml', 'chains/echochain.yaml'],
];

/** A chain whose second task fails at run time, with no on-failure (StackStorm's echochain_task_failure does not register: its on-failure names a missing task). */
const FAILING_CHAIN = {
  'pack.yaml': 'ref: cli_flows\nname: cli_flows\ndescription: d\nversion: 0.1.0\nauthor: a\nemail: a@example.com\n',
  'actions/boat.yaml': 'name: boat\nrunner_type: action-chain\nentry_point: chains/boat.yaml\n',
  'actions/chains/boat.yaml': [
    'chain:',
    '  - name: c1',
    '    ref: core.local',
    '    parameters: { cmd: "echo c1" }',
    '    on-success: c2',
    '  - name: c2',
    '    ref: core.local',
    `    parameters: { cmd: "echo 'all aboard the fail boat' >&2; exit 1" }`,
    '    on-success: c3',
    '  - name: c3',
    '    ref: core.local',
    '    parameters: { cmd: "echo c3" }',
    '',
  ].join('\n'),
};

// `tempest run` of a workflow, on the compiled gateway and worker: a workflow
// streams no output of its own, so its result, its tasks and its errors are
// what the command has to print.
describe(runCommand.name, () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-cli-run-'));
  let platform: TestPlatform;

  beforeAll(async () => {
    cpSync(join(repo, 'packs/core'), join(root, 'packs/core'), { recursive: true });
    cpSync(join(stackstormExamples, '..', 'pack.yaml'), join(root, 'packs/examples/pack.yaml'));
    for (const files of WORKFLOWS) for (const file of files) cpSync(join(stackstormExamples, file), join(root, 'packs/examples/actions', file));
    for (const [file, text] of Object.entries(FAILING_CHAIN)) {
      mkdirSync(dirname(join(root, 'packs/cli_flows', file)), { recursive: true });
      writeFileSync(join(root, 'packs/cli_flows', file), text);
    }
    platform = await startTestPlatform({ root });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const tempest = (...argv: string[]) => tempestAgainst(platform.base, platform.keys.admin)(...argv);

  it("prints a succeeded Orquesta workflow's output and its tasks, exit code 0", async () => {
    const ran = await tempest('run', 'examples.orquesta-join');
    expect(ran).toMatchObject({ code: 0, err: '' });
    expect(ran.out).toMatch(/^output:\n {2}messages:\n {4}- [|"]?\n? *Fee fi/);
    expect(ran.out).toContain("    - I'll grind his bones to make my bread\n");
    expect(ran.out).toMatch(/\ntask\s+action\s+status\s+execution\n/);
    expect(ran.out.match(/^task\d+\s+core\.(noop|echo)\s+succeeded\s+[0-9a-f-]{36}$/gm)).toHaveLength(10);
  });

  it("prints a failed Orquesta workflow's errors on stderr, task, type and message, exit code 1", async () => {
    const ran = await tempest('run', 'examples.orquesta-fail-manually');
    expect(ran.code).toBe(1);
    expect(ran.out).toMatch(/\ntask1\s+core\.local\s+failed\s+\S+\n/);
    expect(ran.err).toMatch(/^examples\.orquesta-fail-manually failed \(execution [0-9a-f-]{36}\)\ntask\s+type\s+message\n/);
    expect(ran.err).toMatch(/\ntask1\s+error\s+Execution failed\. See result for details\. \(exit code 1(: .*)?\)\n/);
  });

  it("prints an ActionChain's tasks, and a failed one's failed task with its exit code and stderr", async () => {
    const ran = await tempest('run', 'examples.echochain');
    expect(ran).toMatchObject({ code: 0, err: '' });
    expect(ran.out).toMatch(/^task\s+action\s+status\s+execution\n[- ]+\nc1\s+core\.local\s+succeeded\s+\S+\nc2\s+core\.local\s+succeeded\s+\S+\nc3\s+core\.local\s+succeeded\s+\S+$/);

    const failed = await tempest('run', 'cli_flows.boat');
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/\nc1\s+core\.local\s+succeeded\s+\S+\nc2\s+core\.local\s+failed\s+\S+$/);
    expect(failed.err).toMatch(/^cli_flows\.boat failed \(execution [0-9a-f-]{36}\)\ntask\s+type\s+message\n[- ]+\nc2\s+failed\s+task failed \(exit code 1: all aboard the fail boat\)$/);
  });

  it('keeps --json as the execution document, for scripts', async () => {
    const ran = await tempest('run', 'examples.orquesta-join', '--json');
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.out)).toMatchObject({ status: 'succeeded', action: { ref: 'examples.orquesta-join', runner_type: 'orquesta' }, result: { output: { messages: expect.any(Array) } } });
  });
});
