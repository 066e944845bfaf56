import { Client } from 'pg';
import { createTestDatabase, testServers } from './environment';

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: testServers().postgresUrl });
  await client.connect();
  try {
    return (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe(createTestDatabase.name, () => {
  it('gives each caller its own migrated database, and drops it', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const nameOfA = new URL(a.url).pathname.slice(1);
    try {
      expect(a.url).not.toBe(b.url);
      await a.db.insertInto('api_keys').values({ name: 'only-in-a', key_hash: 'h', key_prefix: 'p', user: 'u' }).execute();
      expect(await b.db.selectFrom('api_keys').selectAll().execute()).toEqual([]);
      expect(await databaseExists(nameOfA)).toBe(true);
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
    expect(await databaseExists(nameOfA)).toBe(false);
  });
});

describe(testServers.name, () => {
  it('tells how to run the tests when the servers are not there', () => {
    const saved = process.env.TEST_POSTGRES_URL;
    delete process.env.TEST_POSTGRES_URL;
    try {
      expect(() => testServers()).toThrow(/run the tests with `npm test`/);
    } finally {
      process.env.TEST_POSTGRES_URL = saved;
    }
  });
});
