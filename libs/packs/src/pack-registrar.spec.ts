import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionRepository, listenToPostgres, PackConfigRepository, PackRepository, RuleRepository, TriggerTypeRepository } from '@tempest/db';
import { KeyValueCipher } from '@tempest/datastore';
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
    expect(first.packs).toMatchObject([
      { ref: 'alpha', outcome: 'created', actions: { created: ['alpha.one', 'alpha.two'], updated: [], unchanged: [], removed: [] } },
      { ref: 'beta', outcome: 'created', actions: { created: [], updated: [], unchanged: [], removed: [] } },
    ]);
    expect(summarizeRegistration(first)).toBe('registered 2 packs with 2 actions (2 new, 0 updated)');
    const before = await new ActionRepository(database.db).getByRef('alpha.one');

    rmSync(join(dir, 'alpha', 'actions', 'two.yaml'));
    writePack('alpha', '1.0.0', { one: 'first, reworded' });
    const second = await registerPacks(database.db, dir);
    expect(second.packs[0]).toMatchObject({ ref: 'alpha', outcome: 'unchanged', actions: { created: [], updated: ['alpha.one'], unchanged: [], removed: ['alpha.two'] } });
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

  it("registers a pack whose workflow definition has problems, the workflow included, warning of them at the definition's file and line", async () => {
    writePack('epsilon', '1.0.0', { one: 'first' });
    expect((await registerPacks(database.db, dir)).packs.map((p) => p.ref)).toContain('epsilon');
    mkdirSync(join(dir, 'epsilon', 'actions', 'workflows'), { recursive: true });
    writeFileSync(join(dir, 'epsilon', 'actions', 'flow.yaml'), 'name: flow\nrunner_type: orquesta\nentry_point: workflows/flow.yaml\n');
    writeFileSync(join(dir, 'epsilon', 'actions', 'workflows', 'flow.yaml'), 'version: 1.0\ntasks:\n  one:\n    action: core.noop\n    next:\n      - do: missing\n');
    writePack('epsilon', '2.0.0', { one: 'first', two: 'second' });
    const report = await registerPacks(database.db, dir);
    expect(report.problems.filter((p) => p.includes('epsilon'))).toEqual([]);
    expect(report.packs.find((p) => p.ref === 'epsilon')).toMatchObject({ warnings: ['packs/epsilon/actions/workflows/flow.yaml:6: tasks.one.next[0].do: The task "missing" is not defined.'], actions: { created: ['epsilon.flow', 'epsilon.two'] } });
    expect((await new PackRepository(database.db).getByRef('epsilon'))?.version).toBe('2.0.0');
    expect((await new ActionRepository(database.db).search({ pack: 'epsilon' })).map((a) => a.ref)).toEqual(['epsilon.flow', 'epsilon.one', 'epsilon.two']);
  });

  it("stores the pack's config with its schema, counts a changed config as an update, and keeps the last good one when it breaks", async () => {
    // Sealed with the datastore key (tested in libs/datastore, sealed-pack-configs.spec.ts).
    const cipher = new KeyValueCipher(randomBytes(32));
    const configs = new PackConfigRepository(database.db, cipher);
    writePack('gamma', '1.0.0');
    writeFileSync(join(dir, 'gamma', 'config.schema.yaml'), 'token: { type: string, secret: true, required: true }\nregion: { type: string, default: eu }\n');
    mkdirSync(join(dir, '..', 'configs'), { recursive: true });
    writeFileSync(join(dir, '..', 'configs', 'gamma.yaml'), 'token: abc\n');
    const gamma = async () => (await registerPacks(database.db, dir, undefined, cipher)).packs.find((p) => p.ref === 'gamma');
    expect((await gamma())?.outcome).toBe('created');
    expect(await configs.getByPack('gamma')).toMatchObject({ values: { token: 'abc', region: 'eu' }, schema: { token: { secret: true } } });
    expect((await gamma())?.outcome).toBe('unchanged');

    writeFileSync(join(dir, '..', 'configs', 'gamma.yaml'), 'token: xyz\n');
    expect((await gamma())?.outcome).toBe('updated');
    expect((await configs.getByPack('gamma'))?.values).toEqual({ token: 'xyz', region: 'eu' });

    writeFileSync(join(dir, '..', 'configs', 'gamma.yaml'), 'region: us\n');
    const report = await registerPacks(database.db, dir, undefined, cipher);
    expect(report.problems).toContain('configs/gamma.yaml:1: token: required');
    expect(report.packs.map((p) => p.ref)).not.toContain('gamma');
    expect((await configs.getByPack('gamma'))?.values).toEqual({ token: 'xyz', region: 'eu' });

    rmSync(join(dir, '..', 'configs', 'gamma.yaml'));
    rmSync(join(dir, 'gamma', 'config.schema.yaml'));
    expect((await gamma())?.outcome).toBe('updated');
    expect(await configs.getByPack('gamma')).toBeUndefined();
  });

  it('registers trigger types and rules with the pack, notifying every rules engine, and leaves rules made through the API alone', async () => {
    const notified: string[] = [];
    const listener = listenToPostgres(database.url, { channels: { tempest_rules: (ref) => notified.push(ref) } });
    await listener.ready;
    try {
      writePack('delta', '1.0.0', { page: 'pages' });
      mkdirSync(join(dir, 'delta', 'triggers'), { recursive: true });
      mkdirSync(join(dir, 'delta', 'rules'), { recursive: true });
      writeFileSync(join(dir, 'delta', 'triggers', 'alert.yaml'), 'name: alert\npayload_schema: {type: object, properties: {host: {type: string}}}\n');
      const ruleFile = (name: string) => `name: ${name}\nenabled: true\ntrigger: {type: delta.alert}\ncriteria: {trigger.host: {type: startswith, pattern: web}}\naction: {ref: delta.page, parameters: {}}\n`;
      writeFileSync(join(dir, 'delta', 'rules', 'one.yaml'), ruleFile('one'));
      writeFileSync(join(dir, 'delta', 'rules', 'two.yaml'), ruleFile('two'));
      const delta = async () => (await registerPacks(database.db, dir)).packs.find((p) => p.ref === 'delta');
      expect(await delta()).toMatchObject({ trigger_types: { created: ['delta.alert'] }, rules: { created: ['delta.one', 'delta.two'] } });
      expect(await new TriggerTypeRepository(database.db).getByRef('delta.alert')).toMatchObject({ payload_schema: { properties: { host: { type: 'string' } } }, metadata_file: 'triggers/alert.yaml' });
      expect(await new RuleRepository(database.db).getByRef('delta.one')).toMatchObject({ trigger_type: 'delta.alert', action_ref: 'delta.page', created_by: 'stanley', metadata_file: 'rules/one.yaml' });
      const rules = new RuleRepository(database.db);
      await rules.create({ ref: 'delta.by_api', pack: 'delta', name: 'by_api', description: '', enabled: true, type: 'standard', trigger: { type: 'delta.alert', parameters: {} }, criteria: {}, action: { ref: 'delta.page', parameters: {} }, context: {}, createdBy: 'admin' });
      const deadline = Date.now() + 2000;
      while (notified.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(notified.sort()).toEqual(['delta.by_api', 'delta.one', 'delta.two']);

      expect(await delta()).toMatchObject({ trigger_types: { unchanged: ['delta.alert'] }, rules: { unchanged: ['delta.one', 'delta.two'] } });
      rmSync(join(dir, 'delta', 'rules', 'two.yaml'));
      rmSync(join(dir, 'delta', 'triggers', 'alert.yaml'));
      expect(await delta()).toMatchObject({ trigger_types: { removed: ['delta.alert'] }, rules: { unchanged: ['delta.one'], removed: ['delta.two'] } });
      expect((await rules.search({ pack: 'delta' })).map((r) => r.ref)).toEqual(['delta.by_api', 'delta.one']);
    } finally {
      await listener.close();
    }
  });
});
