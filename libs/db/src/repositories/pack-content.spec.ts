import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { sql } from 'kysely';
import { PackRepository } from './pack.repository';
import { replacePackContent, type PackContent } from './pack-content';

interface Alias {
  ref: string;
  pack: string;
  enabled?: boolean;
  metadata?: Record<string, unknown>;
}

interface RuleLike {
  ref: string;
  criteria: Record<string, unknown>;
  file?: string;
  by?: string;
}

/** Aliases rewritten only when their metadata changes, as StackStorm keeps a disable made through the API. */
const aliases: PackContent<'action_aliases', Alias> = {
  table: 'action_aliases',
  toRow: (alias) => ({
    ref: alias.ref, pack: alias.pack, name: alias.ref, description: '', enabled: alias.enabled ?? true, action_ref: 'core.noop', formats: '[]',
    metadata_file: `aliases/${alias.ref}.yaml`, metadata: JSON.stringify(alias.metadata ?? {}),
  }),
  changedWhen: ['metadata', 'metadata_file'],
};

/** Rules: their criteria are `json` (compared as text), their author kept, those made through the API spared. */
const rules: PackContent<'rules', RuleLike> = {
  table: 'rules',
  toRow: (rule) => ({
    ref: rule.ref, pack: rule.ref.split('.')[0], name: rule.ref, description: '', enabled: true, type: 'standard', trigger_type: 'core.st2.webhook', trigger_parameters: '{}',
    criteria: JSON.stringify(rule.criteria), action_ref: 'core.noop', action_parameters: '{}', context: '{}', metadata_file: rule.file ?? null, created_by: rule.by ?? 'admin',
  }),
  changedWhen: ['enabled', 'criteria::text', 'metadata_file'],
  keptOnUpdate: ['created_by'],
  keepsRowsWithoutFile: true,
};

describe(replacePackContent.name, () => {
  let database: TestDatabase;
  const pack = (ref: string) => ({ ref, name: ref, description: '', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: `/packs/${ref}`, metadata: {} });
  const stored = (ref: string) => database.db.selectFrom('action_aliases').selectAll().where('ref', '=', ref).executeTakeFirstOrThrow();
  const storedRule = (ref: string) => database.db.selectFrom('rules').selectAll().where('ref', '=', ref).executeTakeFirstOrThrow();
  /** Compared in Postgres, whose timestamps are finer than a JS Date. */
  const rewritten = async (ref: string) =>
    (await database.db.selectFrom('action_aliases').select(sql<boolean>`updated_at > registered_at`.as('later')).where('ref', '=', ref).executeTakeFirstOrThrow()).later;

  beforeAll(async () => {
    database = await createTestDatabase();
    for (const ref of ['ops', 'web', 'chat']) await new PackRepository(database.db).upsert(pack(ref));
  });
  afterAll(() => database.drop());

  it('creates, updates, leaves unchanged and removes by ref, each list in the order the records come', async () => {
    const first = [{ ref: 'ops.b', pack: 'ops' }, { ref: 'ops.a', pack: 'ops' }, { ref: 'ops.gone', pack: 'ops' }, { ref: 'ops.z', pack: 'ops' }];
    expect(await replacePackContent(database.db, aliases, 'ops', first)).toEqual({ created: ['ops.b', 'ops.a', 'ops.gone', 'ops.z'], updated: [], unchanged: [], removed: [] });
    const before = await stored('ops.b');

    const second = [{ ref: 'ops.z', pack: 'ops', metadata: { v: 2 } }, { ref: 'ops.b', pack: 'ops' }, { ref: 'ops.new', pack: 'ops' }, { ref: 'ops.a', pack: 'ops', metadata: { v: 2 } }];
    expect(await replacePackContent(database.db, aliases, 'ops', second)).toEqual({ created: ['ops.new'], updated: ['ops.z', 'ops.a'], unchanged: ['ops.b'], removed: ['ops.gone'] });
    expect(await stored('ops.b')).toEqual(before);
    expect(await rewritten('ops.b')).toBe(false);
    expect((await stored('ops.a')).metadata).toEqual({ v: 2 });
    expect(await rewritten('ops.a')).toBe(true);
  });

  it("removes every row of the pack when it defines none, and no other pack's", async () => {
    await replacePackContent(database.db, aliases, 'web', [{ ref: 'web.one', pack: 'web' }, { ref: 'web.two', pack: 'web' }]);
    await replacePackContent(database.db, aliases, 'chat', [{ ref: 'chat.one', pack: 'chat' }]);
    const outcome = await replacePackContent(database.db, aliases, 'web', []);
    expect({ ...outcome, removed: [...outcome.removed].sort() }).toEqual({ created: [], updated: [], unchanged: [], removed: ['web.one', 'web.two'] });
    expect((await stored('chat.one')).ref).toBe('chat.one');
  });

  it('keeps a column it does not compare (enabled set through the API) until a compared one changes, then writes the record whole', async () => {
    await replacePackContent(database.db, aliases, 'chat', [{ ref: 'chat.one', pack: 'chat' }, { ref: 'chat.off', pack: 'chat' }]);
    await database.db.updateTable('action_aliases').set({ enabled: false }).where('ref', '=', 'chat.off').execute();
    expect((await replacePackContent(database.db, aliases, 'chat', [{ ref: 'chat.one', pack: 'chat' }, { ref: 'chat.off', pack: 'chat', enabled: true }])).unchanged).toEqual(['chat.one', 'chat.off']);
    expect((await stored('chat.off')).enabled).toBe(false);

    const changed = [{ ref: 'chat.one', pack: 'chat' }, { ref: 'chat.off', pack: 'chat', enabled: true, metadata: { ack: { enabled: false } } }];
    expect((await replacePackContent(database.db, aliases, 'chat', changed)).updated).toEqual(['chat.off']);
    expect((await stored('chat.off')).enabled).toBe(true);
  });

  it('compares a json column as text, so a new key order is a change', async () => {
    const criteria = { 'trigger.b': { type: 'exists' }, 'trigger.a': { type: 'exists' } };
    expect((await replacePackContent(database.db, rules, 'ops', [{ ref: 'ops.order', criteria, file: 'rules/order.yaml' }])).created).toEqual(['ops.order']);
    expect((await replacePackContent(database.db, rules, 'ops', [{ ref: 'ops.order', criteria, file: 'rules/order.yaml' }])).unchanged).toEqual(['ops.order']);
    const reordered = { 'trigger.a': criteria['trigger.a'], 'trigger.b': criteria['trigger.b'] };
    expect((await replacePackContent(database.db, rules, 'ops', [{ ref: 'ops.order', criteria: reordered, file: 'rules/order.yaml' }])).updated).toEqual(['ops.order']);
    expect(Object.keys((await storedRule('ops.order')).criteria)).toEqual(['trigger.a', 'trigger.b']);
  });

  it('keeps the columns kept on update and the rows without a file (made through the API)', async () => {
    await replacePackContent(database.db, rules, 'web', [
      { ref: 'web.filed', criteria: {}, file: 'rules/filed.yaml', by: 'alice' },
      { ref: 'web.api', criteria: {}, by: 'bob' },
      { ref: 'web.old', criteria: {}, file: 'rules/old.yaml' },
    ]);
    const outcome = await replacePackContent(database.db, rules, 'web', [{ ref: 'web.filed', criteria: { 'trigger.x': { type: 'exists' } }, file: 'rules/filed.yaml', by: 'carol' }]);
    expect(outcome).toEqual({ created: [], updated: ['web.filed'], unchanged: [], removed: ['web.old'] });
    expect(await storedRule('web.filed')).toEqual(expect.objectContaining({ created_by: 'alice', criteria: { 'trigger.x': { type: 'exists' } } }));
    expect(await storedRule('web.api')).toEqual(expect.objectContaining({ created_by: 'bob', metadata_file: null }));
  });
});
