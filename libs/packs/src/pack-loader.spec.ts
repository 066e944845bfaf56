import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblem } from './yaml-file';
import { loadPacks } from './pack-loader';

/** A packs folder holding the given pack.yaml texts, one folder each. */
function packsDir(packs: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tempest-packs-'));
  const dir = join(root, 'packs');
  for (const [folder, yaml] of Object.entries(packs)) {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, 'pack.yaml'), yaml);
  }
  return dir;
}

const VALID = ['name: ops', 'description: Ops tools', 'version: 1.2.0', 'author: SRE', 'python_versions: ["3"]', ''].join('\n');

describe(loadPacks.name, () => {
  it('loads a StackStorm pack.yaml, taking the ref from the name and keeping unknown fields', async () => {
    const { packs, failed } = await loadPacks(packsDir({ ops: VALID }));
    expect(failed).toEqual([]);
    expect(packs).toEqual([
      {
        pack: expect.objectContaining({ ref: 'ops', name: 'ops', version: '1.2.0', author: 'SRE', keywords: [], metadata: expect.objectContaining({ python_versions: ['3'] }) }),
        actions: [],
        rules: [],
        triggerTypes: [],
        sensors: [],
        aliases: [],
        warnings: [],
        policies: [],
      },
    ]);
  });

  it('names the file, line and field of every problem, and skips only the broken pack', async () => {
    const broken = ['ref: broken', 'name: broken', 'description: x', 'version: one', 'author: SRE', 'email: not-an-email', ''].join('\n');
    const { packs, failed } = await loadPacks(packsDir({ ops: VALID, broken }));
    expect(packs.map((p) => p.pack.ref)).toEqual(['ops']);
    expect(failed.flatMap((f) => f.problems.map(formatProblem))).toEqual([
      'packs/broken/pack.yaml:4: version: expected a semantic version such as 1.2.3',
      'packs/broken/pack.yaml:6: email: expected an email address',
    ]);
  });

  it('reports a missing required field', async () => {
    const { failed } = await loadPacks(packsDir({ nover: 'name: nover\ndescription: x\nauthor: a\n' }));
    expect(failed[0].problems.map(formatProblem)).toEqual(['packs/nover/pack.yaml:1: version: required']);
  });

  it('reports invalid YAML with its line', async () => {
    const { failed } = await loadPacks(packsDir({ bad: 'name: bad\ndescription: [unclosed\nversion: 1.0.0\n' }));
    expect(formatProblem(failed[0].problems[0])).toMatch(/^packs\/bad\/pack\.yaml:\d+: invalid YAML: /);
  });

  it('refuses a name that cannot be a ref when no ref is given, as StackStorm does', async () => {
    const { failed } = await loadPacks(packsDir({ dashed: VALID.replace('name: ops', 'name: my-pack') }));
    expect(failed[0].problems.map(formatProblem)).toEqual([
      'packs/dashed/pack.yaml:1: name: "my-pack" cannot serve as the pack\'s ref: set ref to lowercase letters, digits and underscores',
    ]);
  });

  it('fails both packs when two folders claim one ref', async () => {
    const { packs, failed } = await loadPacks(packsDir({ a: VALID, b: VALID }));
    expect(packs).toEqual([]);
    expect(failed.flatMap((f) => f.problems.map(formatProblem))).toEqual([
      'packs/a/pack.yaml: ref: "ops" is also the ref of packs/b',
      'packs/b/pack.yaml: ref: "ops" is also the ref of packs/a',
    ]);
  });

  it('finds nothing in a folder that does not exist', async () => {
    expect(await loadPacks('/nonexistent/packs')).toEqual({ packs: [], failed: [] });
  });
});
