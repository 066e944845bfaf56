import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionRepository, PackRepository } from '@tempest/db';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { registerPacks, summarizeRegistration } from './pack-registrar';

describe(registerPacks.name, () => {
  let database: TestDatabase;
  let dir: string;

  function writePack(ref: string, version: string, actions: Record<string, string> = {}) {
    mkdirSync(join(dir, ref, 'actions'), { recursive: true });
    writeFileSync(join(dir, ref, 'pack.yaml'), `ref: ${ref}\nname: ${ref}\ndescription: d\nversion: ${version}\nauthor: a\n`);
    for (const [name, description] of Object.entries(actions)) {
      writeFileSync(join(dir, ref, 'actions', `${name}.yaml`), `name: ${name}\nrunner_type: noop\ndescription: ${description}\n`);
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = join(mkdtempSync(join(tmpdir(), 'tempest-register-')), 'packs');
  });
  afterAll(() => database.drop());

  it('registers packs with their actions, rewrites only what changed, and removes actions no longer defined', async () => {
    writePack('alpha', '1.0.0', { one: 'first', two: 'second' });
    writePack('beta', '1.0.0');
    const first = await registerPacks(database.db, dir);
    expect(first.packs).toEqual([
      { ref: 'alpha', outcome: 'created', actions: { created: ['alpha.one', 'alpha.two'], updated: [], unchanged: [], removed: [] } },
      { ref: 'beta', outcome: 'created', actions: { created: [], updated: [], unchanged: [], removed: [] } },
    ]);
    expect(summarizeRegistration(first)).toBe('registered 2 packs with 2 actions (2 new, 0 updated)');
    const before = await new ActionRepository(database.db).getByRef('alpha.one');

    rmSync(join(dir, 'alpha', 'actions', 'two.yaml'));
    writePack('alpha', '1.0.0', { one: 'first, reworded' });
    const second = await registerPacks(database.db, dir);
    expect(second.packs[0]).toEqual({ ref: 'alpha', outcome: 'unchanged', actions: { created: [], updated: ['alpha.one'], unchanged: [], removed: ['alpha.two'] } });
    expect(second.packs[1].outcome).toBe('unchanged');
    expect((await new ActionRepository(database.db).search({ pack: 'alpha' })).map((a) => [a.ref, a.description])).toEqual([['alpha.one', 'first, reworded']]);
    expect((await new ActionRepository(database.db).getByRef('alpha.one'))?.registered_at).toEqual(before?.registered_at);
  });

  it('skips a pack with a broken action whole, keeping what was registered before, and still registers the others', async () => {
    writeFileSync(join(dir, 'alpha', 'actions', 'bad.yaml'), 'name: bad\nrunner_type: nope\n');
    writePack('beta', '1.1.0');
    const report = await registerPacks(database.db, dir);
    expect(report.packs.map((p) => [p.ref, p.outcome])).toEqual([['beta', 'updated']]);
    expect(report.problems).toEqual([expect.stringMatching(/^packs\/alpha\/actions\/bad\.yaml:2: runner_type: /)]);
    expect((await new PackRepository(database.db).getByRef('beta'))?.version).toBe('1.1.0');
    expect((await new ActionRepository(database.db).search({ pack: 'alpha' })).map((a) => a.ref)).toEqual(['alpha.one']);
  });
});
