import { randomUUID } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { createDatabase } from './database';
import { migrateToLatest } from './migrator';
import { migrations } from './migrations';
import { ExecutionSecretRepository } from './repositories/execution-secret.repository';

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

  it('upgrades secrets kept in clear: those of ended executions are removed, the others read until they end', async () => {
    await new Migrator({ db: sut.db, provider: { getMigrations: async () => migrations } }).migrateTo('1763726000000-Sensors');
    const [ended, running] = [randomUUID(), randomUUID()];
    for (const [id, status, finished] of [[ended, 'succeeded', 'now()'], [running, 'running', 'null']]) {
      await sql`insert into executions (id, action_ref, pack, runner_type, parameters, status, status_history, context, workflow_id, finished_at)
        values (${id}, 'core.local', 'core', 'local-shell-cmd', '{"sudo_password": "********"}', ${status}, '[]', '{"user": "admin", "source": "api"}', ${id}, ${sql.raw(finished)})`.execute(sut.db);
      await sql`insert into execution_secrets (execution_id, "values") values (${id}, '{"sudo_password": "hunter2"}')`.execute(sut.db);
    }
    expect(await migrateToLatest(sut.db)).toContain('1763727100000-SealedExecutionSecrets');
    const secrets = new ExecutionSecretRepository(sut.db);
    expect(await secrets.get(ended)).toBeUndefined();
    expect(await secrets.get(running)).toEqual({ sudo_password: 'hunter2' });
  });
});
