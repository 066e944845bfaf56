import { randomUUID } from 'node:crypto';
import { ConflictException } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { ActionRepository, ExecutionRepository, PackConfigRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, testConfig, type TestDatabase } from '@tempest/testing';
import { ExecutionChanges } from './execution-changes';
import { ExecutionLauncher } from './execution-launcher';
import { ExecutionService } from './execution.service';

describe(ExecutionService.name, () => {
  const config = testConfig();
  let database: TestDatabase;
  let connection: Connection;
  let executions: ExecutionRepository;
  let sut: ExecutionService;

  beforeAll(async () => {
    database = await createTestDatabase();
    connection = await Connection.connect({ address: config.temporal.address });
    const client = new Client({ connection });
    executions = new ExecutionRepository(database.db);
    const launcher = new ExecutionLauncher(executions, new PackConfigRepository(database.db), client, config, captureLogs('gateway', 'fatal').logger);
    const changes = new ExecutionChanges(config, captureLogs('gateway', 'fatal').logger);
    sut = new ExecutionService(new ActionRepository(database.db), executions, launcher, changes, client, config);
  });
  afterAll(async () => {
    await connection.close();
    await database.drop();
  });

  it('leaves an execution as it was when Temporal cannot cancel it, instead of canceling forever', async () => {
    const { id } = await executions.create({ id: randomUUID(), actionRef: 'core.noop', pack: 'core', runnerType: 'noop', parameters: {}, secrets: {}, context: { user: 'admin', source: 'api' } });
    await executions.transition(id, 'running');

    await expect(sut.cancel(id)).rejects.toBeInstanceOf(ConflictException);

    expect((await executions.getById(id))?.status).toBe('running');
  });
});
