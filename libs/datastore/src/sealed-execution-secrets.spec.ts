import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { ExecutionRepository, ExecutionSecretRepository, type NewExecution } from '@tempest/db';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { KeyValueCipher } from './cipher';

// The datastore key seals executions' secret parameters at rest (libs/db keeps them).
describe('execution secrets sealed with the datastore key', () => {
  let database: TestDatabase;
  let sut: ExecutionRepository;
  const cipher = new KeyValueCipher(randomBytes(32));
  const request = (secrets: Record<string, unknown>): NewExecution => ({
    id: randomUUID(),
    actionRef: 'core.local',
    pack: 'core',
    runnerType: 'local-shell-cmd',
    parameters: { cmd: '********', sudo_password: '********' },
    secrets,
    context: { user: 'admin', source: 'api' },
  });
  const rawRow = async (id: string) => (await sql<Record<string, unknown>>`select execution_id, "values"::text, encode(sealed, 'escape') as sealed from execution_secrets where execution_id = ${id}`.execute(database.db)).rows[0];

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = new ExecutionRepository(database.db, cipher);
  });
  afterAll(() => database.drop());

  it('keeps them apart from the audit row, encrypted, and gives them back in clear', async () => {
    const created = await sut.create(request({ sudo_password: 'hunter2', cmd: 'echo hunter2' }));
    expect(JSON.stringify(created)).not.toContain('hunter2');
    const row = await rawRow(created.id);
    expect(row).toMatchObject({ execution_id: created.id, values: null, sealed: expect.any(String) });
    expect(JSON.stringify(row)).not.toContain('hunter2');
    expect(await sut.getSecrets(created.id)).toEqual({ sudo_password: 'hunter2', cmd: 'echo hunter2' });
    await expect(new ExecutionRepository(database.db).getSecrets(created.id)).rejects.toThrow(/secret parameters need the datastore key/);
  });

  it('refuses secrets moved onto another execution, or read with another key', async () => {
    const alice = await sut.create(request({ sudo_password: 'alice-secret' }));
    const mallory = await sut.create(request({ sudo_password: 'mallory-secret' }));
    await sql`update execution_secrets set sealed = (select sealed from execution_secrets where execution_id = ${alice.id}) where execution_id = ${mallory.id}`.execute(database.db);
    await expect(sut.getSecrets(mallory.id)).rejects.toThrow(`the secret parameters of execution ${mallory.id} cannot be decrypted`);
    await expect(new ExecutionRepository(database.db, new KeyValueCipher(randomBytes(32))).getSecrets(alice.id)).rejects.toThrow(/the datastore key differs/);
  });

  it('removes them when the execution ends, and only then', async () => {
    const { id } = await sut.create(request({ sudo_password: 'hunter2' }));
    await sut.transition(id, 'scheduled');
    await sut.transition(id, 'running');
    // A terminal status the lifecycle refuses (timeout before running) keeps them, as the execution may still run.
    const early = await sut.create(request({ sudo_password: 'hunter2' }));
    expect(await sut.transition(early.id, 'timeout')).toBe(false);
    expect(await sut.getSecrets(early.id)).toEqual({ sudo_password: 'hunter2' });
    expect(await sut.getSecrets(id)).toEqual({ sudo_password: 'hunter2' });
    expect(await sut.transition(id, 'succeeded')).toBe(true);
    expect(await rawRow(id)).toBeUndefined();
    expect(await sut.getSecrets(id)).toEqual({});
    expect(await new ExecutionSecretRepository(database.db, cipher).get(id)).toBeUndefined();
  });
});
