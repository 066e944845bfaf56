import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { TriggerInstanceRepository, type NewTriggerInstance } from './trigger-instance.repository';

describe(TriggerInstanceRepository.name, () => {
  let database: TestDatabase;
  let sut: TriggerInstanceRepository;
  const instance = (overrides: Partial<NewTriggerInstance> = {}): NewTriggerInstance => {
    const id = randomUUID();
    return { id, trigger: 'core.st2.webhook', parameters: { url: 'alerts' }, payload: { body: {} }, status: 'processing', traceTag: id, source: 'webhook', ...overrides };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = new TriggerInstanceRepository(database.db);
  });
  afterAll(() => database.drop());

  it('stores one instance per idempotency key and trigger, returning the first for a retry', async () => {
    const first = await sut.create(instance({ idempotencyKey: 'k1' }));
    expect(first.created).toBe(true);
    const retry = await sut.create(instance({ idempotencyKey: 'k1', payload: { body: 'other' } }));
    expect(retry).toEqual({ created: false, instance: first.instance });
    expect((await sut.create(instance({ idempotencyKey: 'k1', parameters: { url: 'other' } }))).created).toBe(true);
    expect((await sut.create(instance())).created).toBe(true);
    expect((await sut.create(instance())).created).toBe(true);
  });

  it('stores many instances in one statement, in order, a repeated idempotency key answering the first row', async () => {
    const earlier = await sut.create(instance({ idempotencyKey: 'batch-0' }));
    const given = [instance({ idempotencyKey: 'batch-1' }), instance({ status: 'pending' }), instance({ idempotencyKey: 'batch-1' }), instance({ idempotencyKey: 'batch-0' })];
    const stored = await sut.createMany(given);
    expect(stored.map((s) => s.created)).toEqual([true, true, false, false]);
    expect(stored.map((s) => s.instance.id)).toEqual([given[0].id, given[1].id, given[0].id, earlier.instance.id]);
    expect(stored[1].instance).toMatchObject({ status: 'pending', trace_tag: given[1].traceTag });
    const rows = await database.db.selectFrom('trigger_instances').select('id').where('id', 'in', given.map((g) => g.id)).execute();
    expect(rows.map((r) => r.id).sort()).toEqual([given[0].id, given[1].id].sort());
  });

  it('marks many instances processed in one statement, clearing the error of an earlier attempt', async () => {
    const [a, b, other] = await sut.createMany([instance(), instance(), instance()]);
    await sut.setStatus(a.instance.id, 'pending', 'Temporal refused the start');
    await sut.markProcessed([a.instance.id, b.instance.id]);
    expect(await sut.getById(a.instance.id)).toMatchObject({ status: 'processed', error: null });
    expect(await sut.getById(b.instance.id)).toMatchObject({ status: 'processed' });
    expect(await sut.getById(other.instance.id)).toMatchObject({ status: 'processing' });
  });

  it('hands each unfinished instance to one claimer: pending ones, and processing ones left stale', async () => {
    const tag = randomUUID();
    const pending = (await sut.create(instance({ status: 'pending', traceTag: tag }))).instance;
    const stale = (await sut.create(instance({ status: 'processing', traceTag: tag }))).instance;
    // Left by a gateway that died a minute ago; claiming touches it again, after the cut-off.
    await database.db.updateTable('trigger_instances').set({ updated_at: sql`now() - interval '1 minute'` }).where('id', '=', stale.id).execute();
    const staleBefore = new Date(Date.now() - 30_000);
    const claims = await Promise.all([sut.claim({ limit: 10, staleBefore }), sut.claim({ limit: 10, staleBefore })]);
    const claimed = claims.flat().filter((i) => i.trace_tag === tag);
    expect(claimed.map((i) => i.id).sort()).toEqual([pending.id, stale.id].sort());
    expect(claimed.every((i) => i.status === 'processing')).toBe(true);
    expect(Object.fromEntries(claimed.map((i) => [i.id, i.taken_over]))).toEqual({ [pending.id]: false, [stale.id]: true });
    expect((await sut.claim({ limit: 10, staleBefore })).filter((i) => i.trace_tag === tag)).toEqual([]);
    await sut.setStatus(pending.id, 'processed');
    expect((await sut.claim({ limit: 10, staleBefore: new Date(Date.now() + 1000) })).map((i) => i.id)).not.toContain(pending.id);
  });

  it("finds the queue's instances through an index of queued ones only, not past every processed one", async () => {
    await sut.createMany(Array.from({ length: 500 }, () => instance({ status: 'processed' })));
    await sut.createMany([instance({ status: 'pending' })]);
    // The claim's filter, as claim() writes it; without a sequential scan to fall back on, the planner shows the index it can use.
    const plan = await database.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      return sql<{ 'QUERY PLAN': string }>`
        explain select id from trigger_instances
        where status = 'pending' or (status = 'processing' and updated_at < now())
        order by occurrence_time limit 8 for update skip locked`.execute(trx);
    });
    const lines = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(lines).toContain('trigger_instances_queue_idx');
  });

  it('never hands over an instance whose gateway keeps renewing its claim', async () => {
    const tag = randomUUID();
    const held = (await sut.create(instance({ status: 'processing', traceTag: tag }))).instance;
    const done = (await sut.create(instance({ status: 'processing', traceTag: tag }))).instance;
    await sut.setStatus(done.id, 'processed');
    await database.db.updateTable('trigger_instances').set({ updated_at: sql`now() - interval '1 minute'` }).where('trace_tag', '=', tag).execute();
    await sut.renewClaim(held.id);
    await sut.renewClaim(done.id);
    expect((await sut.claim({ limit: 10, staleBefore: new Date(Date.now() - 30_000) })).filter((i) => i.trace_tag === tag)).toEqual([]);
    // A finished instance is not brought back to life by a late renewal.
    expect((await sut.getById(done.id))!).toMatchObject({ status: 'processed' });
    expect((await sut.getById(done.id))!.updated_at.getTime()).toBeLessThan(Date.now() - 30_000);
  });
});
