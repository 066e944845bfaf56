import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { createDatabase } from './database';
import { migrateToLatest } from './migrator';
import { migrations } from './migrations';

describe(migrateToLatest.name, () => {
  let sut: TestDatabase;

  beforeEach(async () => {
    sut = await createTestDatabase({ migrate: false });
  });
  afterEach(() => sut.drop());

  it('applies every migration once, then nothing', async () => {
    expect(await migrateToLatest(sut.db)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(sut.db)).toEqual([]);
    const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_name = 'api_keys'`.execute(sut.db);
    expect(rows).toHaveLength(1);
  });

  it('is safe when several processes start at once', async () => {
    const others = [1, 2, 3].map(() => createDatabase(sut.url, { maxConnections: 1 }));
    try {
      const applied = await Promise.all(others.map((db) => migrateToLatest(db)));
      expect(applied.flat()).toEqual(Object.keys(migrations));
    } finally {
      await Promise.all(others.map((db) => db.destroy()));
    }
  });
});
