import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackRepository } from '@tempest/db';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { registerPacks } from './pack-registrar';

describe(registerPacks.name, () => {
  let database: TestDatabase;
  let repository: PackRepository;
  let dir: string;

  function writePack(ref: string, version: string) {
    mkdirSync(join(dir, ref), { recursive: true });
    writeFileSync(join(dir, ref, 'pack.yaml'), `ref: ${ref}\nname: ${ref}\ndescription: d\nversion: ${version}\nauthor: a\n`);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    repository = new PackRepository(database.db);
    dir = join(mkdtempSync(join(tmpdir(), 'tempest-register-')), 'packs');
  });
  afterAll(() => database.drop());

  it('registers new packs, leaves unchanged ones alone and updates changed ones', async () => {
    writePack('alpha', '1.0.0');
    writePack('beta', '1.0.0');
    expect(await registerPacks(repository, dir)).toEqual({ created: ['alpha', 'beta'], updated: [], unchanged: [], problems: [] });
    const before = await repository.getByRef('alpha');

    writePack('beta', '1.1.0');
    expect(await registerPacks(repository, dir)).toEqual({ created: [], updated: ['beta'], unchanged: ['alpha'], problems: [] });
    expect((await repository.getByRef('alpha'))?.updated_at).toEqual(before?.updated_at);
    expect(await repository.getByRef('beta')).toMatchObject({ version: '1.1.0', metadata: expect.objectContaining({ version: '1.1.0' }) });
  });

  it('reports a broken pack and registers the rest', async () => {
    mkdirSync(join(dir, 'gamma'), { recursive: true });
    writeFileSync(join(dir, 'gamma', 'pack.yaml'), 'name: gamma\n');
    const report = await registerPacks(repository, dir);
    expect(report.unchanged).toEqual(['alpha', 'beta']);
    expect(report.problems).toEqual(expect.arrayContaining(['packs/gamma/pack.yaml:1: version: required']));
    expect(await repository.getByRef('gamma')).toBeUndefined();
  });
});
