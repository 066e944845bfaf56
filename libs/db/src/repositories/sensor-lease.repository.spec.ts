import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { SensorLeaseRepository } from './sensor-lease.repository';

describe(SensorLeaseRepository.name, () => {
  let database: TestDatabase;
  let sut: SensorLeaseRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = new SensorLeaseRepository(database.db);
  });
  afterAll(() => database.drop());

  const expire = (ref: string) => database.db.updateTable('sensor_leases').set({ expires_at: sql`now() - interval '1 second'` }).where('sensor_ref', '=', ref).execute();

  it('gives each sensor one owner, renews it for that owner, and lets another take it only once it expired', async () => {
    expect(await sut.acquire('a', ['p.One', 'p.Two'], 30)).toEqual(['p.One', 'p.Two']);
    expect(await sut.acquire('b', ['p.One', 'p.Two', 'p.Three'], 30)).toEqual(['p.Three']);
    expect(await sut.acquire('a', ['p.One', 'p.Two', 'p.Three'], 30)).toEqual(['p.One', 'p.Two']);

    await expire('p.Two');
    expect(await sut.isHeld('a', 'p.Two')).toBe(false);
    expect(await sut.acquire('b', ['p.One', 'p.Two'], 30)).toEqual(['p.Two']);
    expect(await sut.acquire('a', ['p.Two'], 30)).toEqual([]);
    expect(await sut.isHeld('b', 'p.Two')).toBe(true);
    expect((await sut.search()).map((l) => [l.sensor_ref, l.owner])).toEqual([['p.One', 'a'], ['p.Three', 'b'], ['p.Two', 'b']]);
  });

  it('gives leases up for another owner to take at once, keeping those asked to be kept', async () => {
    await sut.release('b', { except: ['p.Two'] });
    expect(await sut.acquire('a', ['p.Three'], 30)).toEqual(['p.Three']);
    await sut.release('a', { sensorRefs: ['p.One'] });
    expect((await sut.search()).map((l) => [l.sensor_ref, l.owner])).toEqual([['p.Three', 'a'], ['p.Two', 'b']]);
    await sut.release('a');
    await sut.release('b');
    expect(await sut.search()).toEqual([]);
  });

  it('locks the lease for the transaction that checked it, so it cannot change hands under a guarded write', async () => {
    expect(await sut.acquire('a', ['p.Guarded'], 30)).toEqual(['p.Guarded']);
    let takeover: Promise<string[]> | undefined;
    await database.db.transaction().execute(async (trx) => {
      expect(await new SensorLeaseRepository(trx).isHeld('a', 'p.Guarded')).toBe(true);
      takeover = sut.acquire('b', ['p.Guarded'], 30);
      const deadline = Date.now() + 10_000;
      while (Number((await sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(database.db)).rows[0].n) === 0) {
        if (Date.now() > deadline) throw new Error('the takeover never waited for the lock');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    expect(await takeover).toEqual([]);
    expect(await sut.isHeld('a', 'p.Guarded')).toBe(true);
  });
});
