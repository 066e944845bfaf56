import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { registerPack } from '@tempest/packs';
import { startCliGateway, type CliGateway } from '../testing/cli-harness';
import { workflowCommand } from './workflow.commands';

describe(workflowCommand.name, () => {
  let gateway: CliGateway;
  const dir = mkdtempSync(join(tmpdir(), 'tempest-cli-workflows-'));

  const tempest = (...argv: string[]) => gateway.tempest(...argv);
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  beforeAll(async () => {
    gateway = await startCliGateway({ prepare: async (database) => {
      await registerPack(database.db, join(findRepoRoot(), 'packs/core'), findRepoRoot());
    } });
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('says a clean workflow is clean, with exit code 0', async () => {
    const clean = file('clean.yaml', 'version: 1.0\ninput:\n  - who\ntasks:\n  greet:\n    action: core.echo message=<% ctx(who) %>\n');
    expect(await tempest('workflow', 'inspect', clean)).toEqual({ code: 0, err: '', out: `${clean}: no problems found` });
  });

  it('prints each problem as FILE:LINE: task NAME: MESSAGE, in line order, with exit code 1', async () => {
    const flow = file('flow.yaml', ['version: 1.0', 'tasks:', '  one:', '    action: core.echo message=<% ctx().nope %>', '    next:', '      - do: two', '  three:', '    action: ops.missing', 'output:', '  - x: <% ctx().y %>', ''].join('\n'));
    expect(await tempest('workflow', 'inspect', flow)).toEqual({
      code: 1,
      err: '',
      out: [
        `${flow}:4: task one: Variable "nope" is referenced before assignment.`,
        `${flow}:6: task one: The task "two" is not defined.`,
        `${flow}:8: task three: The action "ops.missing" is not registered in the database.`,
        `${flow}:10: output[0]: Variable "y" is referenced before assignment.`,
      ].join('\n'),
    });
  });

  it('inspects action chains too, and answers --json with the API\'s list', async () => {
    const chain = file('chain.yaml', 'chain:\n  - name: c1\n    ref: core.local\n    params:\n      cmd: ls\n    on-success: c9\n');
    expect(await tempest('workflow', 'inspect', chain)).toMatchObject({ code: 1, out: `${chain}:6: task c1: Unable to find node with name "c9" referenced in "on-success" in task "c1".` });
    const { code, out } = await tempest('workflow', 'inspect', chain, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual([expect.objectContaining({ type: 'semantic', spec_path: 'chain[0].on-success', task: 'c1', line: 6 })]);
  });

  it('names a YAML mistake\'s line', async () => {
    const broken = file('broken.yaml', 'version: 1.0\ntasks:\n  t1:\n    action: [core.noop\n');
    expect(await tempest('workflow', 'inspect', broken)).toMatchObject({ code: 1, out: expect.stringMatching(new RegExp(`^${broken.replace(/[.]/g, '\\.')}:\\d+: YAML: `)) });
  });

  it('says how to call it, and which file it cannot read', async () => {
    expect(await tempest('workflow', 'inspect')).toMatchObject({ code: 2, err: 'tempest: tempest workflow inspect <file>' });
    expect(await tempest('workflow', 'run')).toMatchObject({ code: 2 });
    expect(await tempest('workflow', 'inspect', join(dir, 'nope.yaml'))).toMatchObject({ code: 2, err: expect.stringMatching(/^tempest: .*nope\.yaml: ENOENT/) });
  });
});
