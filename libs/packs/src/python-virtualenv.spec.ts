import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { registerPacks } from './pack-registrar';
import { PackDependencyError, packPython } from './python-virtualenv';

// Real virtualenvs and pip, from PyPI: `six` is one small pure-Python module.
describe('packs with a requirements.txt', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-venvs-'));
  const packs = join(root, 'packs');
  let database: TestDatabase;

  function writePack(ref: string, requirements: string): string {
    const dir = join(packs, ref);
    mkdirSync(join(dir, 'actions'), { recursive: true });
    writeFileSync(join(dir, 'pack.yaml'), `ref: ${ref}\nname: ${ref}\ndescription: d\nversion: 1.0.0\nauthor: a\n`);
    writeFileSync(join(dir, 'requirements.txt'), requirements);
    return dir;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('gets a virtualenv of its own beside the packs folder, with its requirements installed, made once', async () => {
    const dir = writePack('withsix', 'six==1.16.0\n');
    const python = await packPython(dir, 'withsix');
    expect(python).toMatch(new RegExp(`^${root}/virtualenvs/withsix-[0-9a-f]{16}/bin/python$`));
    expect(execFileSync(python!, ['-c', 'import six; print(six.__version__)'], { encoding: 'utf8' })).toBe('1.16.0\n');
    // Found again, not made again: the same answer at once.
    const started = Date.now();
    expect(await packPython(dir, 'withsix')).toBe(python);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await packPython(join(packs, 'none'), 'none')).toBeUndefined();
  }, 180_000);

  it("refuses a pack whose requirements pip cannot install, quoting pip, registering nothing of it and leaving no half-made virtualenv", async () => {
    writePack('broken', 'tempest-no-such-distribution-0d1e==9.9.9\n');
    const report = await registerPacks(database.db, packs);
    expect(report.problems).toEqual([expect.stringMatching(/^packs\/broken\/requirements\.txt: pack "broken": pip install -r requirements\.txt failed: .*No matching distribution found for tempest-no-such-distribution-0d1e==9\.9\.9.* \(the pack was not registered\)$/s)]);
    expect(report.packs.map((p) => p.ref)).toEqual(['withsix']);
    expect(await database.db.selectFrom('packs').select('ref').execute()).toEqual([{ ref: 'withsix' }]);
    expect(readdirSync(join(root, 'virtualenvs')).filter((name) => name.startsWith('broken'))).toEqual([]);
    await expect(packPython(join(packs, 'broken'), 'broken')).rejects.toBeInstanceOf(PackDependencyError);
  }, 180_000);
});
