import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAliases } from './alias-loader';
import { formatProblem } from './yaml-file';

const stackstorm = join(__dirname, '..', 'fixtures', 'stackstorm');

describe('loadAliases', () => {
  it("loads StackStorm's examples alias as written: its action, formats, ack and result", async () => {
    const { aliases, problems } = await loadAliases(join(stackstorm, 'examples'), 'examples', stackstorm);
    expect(problems).toEqual([]);
    expect(aliases).toEqual([
      expect.objectContaining({
        ref: 'examples.remote_shell_cmd',
        actionRef: 'core.remote',
        enabled: true,
        formats: ['run {{cmd}} on {{hosts}}'],
        metadataFile: 'aliases/remote_shell_cmd.yaml',
        metadata: expect.objectContaining({ ack: { format: expect.stringContaining('Hold tight') }, result: { format: expect.stringContaining('Ran command') } }),
      }),
    ]);
  });

  it('names the file, line and field of every problem, and takes both forms of a format', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tempest-aliases-'));
    const pack = join(root, 'packs', 'chat');
    mkdirSync(join(pack, 'aliases'), { recursive: true });
    writeFileSync(join(pack, 'aliases', 'a.yaml'), 'name: deploy\naction_ref: chat.deploy\nformats:\n  - display: "deploy <app>"\n    representation: ["deploy {{app}}"]\n');
    writeFileSync(join(pack, 'aliases', 'b.yaml'), 'name: broken\nformats: []\n');
    writeFileSync(join(pack, 'aliases', 'c.yaml'), 'name: deploy\naction_ref: chat.deploy\nformats: ["ship {{app}}"]\n');
    const { aliases, problems } = await loadAliases(pack, 'chat', root);
    expect(aliases.map((a) => [a.ref, a.formats])).toEqual([['chat.deploy', [{ display: 'deploy <app>', representation: ['deploy {{app}}'] }]]]);
    expect(problems.map(formatProblem)).toEqual([
      'packs/chat/aliases/b.yaml:1: action_ref: required: the action the alias runs',
      'packs/chat/aliases/b.yaml:2: formats: at least one format',
      'packs/chat/aliases/c.yaml:1: name: "deploy" is also the name of the alias in aliases/a.yaml',
    ]);
  });
});
