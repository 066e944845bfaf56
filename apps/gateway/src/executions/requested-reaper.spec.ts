import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client, Connection } from '@temporalio/client';
import { ExecutionRepository, type NewExecution } from '@tempest/db';
import { captureLogs, createTestDatabase, testConfig, uniqueName, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';
import { NEVER_STARTED, RequestedExecutionReaper } from './requested-reaper';

describe(RequestedExecutionReaper.name, () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let connection: Connection;
  let executions: ExecutionRepository;
  let sut: RequestedExecutionReaper;
  const taskQueue = uniqueName('unserved');
  const record = (source: string): NewExecution => ({ id: randomUUID(), actionRef: 'core.noop', pack: 'core', runnerType: 'noop', parameters: {}, secrets: {}, context: { user: 'admin', source } });

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = testConfig({ DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: taskQueue, TEMPEST_ADMIN_API_KEY: 'tpst_reaper-test-key-0123456789' });
    app = await createGatewayApp(config, captureLogs('gateway', 'fatal').logger);
    sut = app.get(RequestedExecutionReaper);
    executions = new ExecutionRepository(database.db);
    connection = await Connection.connect({ address: config.temporal.address });
  });
  afterAll(async () => {
    await connection.close();
    await app.close();
    await database.drop();
  });

  it('fails an execution a gateway recorded and never started, marks scheduled one Temporal has, and leaves the rest', async () => {
    const abandoned = await executions.create(record('api'));
    const started = await executions.create(record('cli'));
    await new Client({ connection }).workflow.start('actionExecution', { taskQueue, workflowId: started.workflow_id, args: [{}] });
    const byRule = await executions.create(record('rule'));

    // Just recorded: its gateway may be starting it right now.
    expect(await sut.sweep()).toBe(0);
    expect(await sut.sweep(new Date(Date.now() + 1000))).toBe(2);

    expect(await executions.getById(abandoned.id)).toMatchObject({ status: 'failed', result: { error: NEVER_STARTED } });
    expect(await executions.getById(started.id)).toMatchObject({ status: 'scheduled' });
    // The trigger instance's recovery starts what a rule asked for.
    expect(await executions.getById(byRule.id)).toMatchObject({ status: 'requested' });
  });

  it('is not held up by rows it leaves requested: past 50 of a rule\'s, it still settles the rest', async () => {
    for (let i = 0; i < 60; i++) await executions.create(record('rule'));
    const behind = await executions.create(record('api'));

    expect(await sut.sweep(new Date(Date.now() + 1000))).toBe(1);

    expect(await executions.getById(behind.id)).toMatchObject({ status: 'failed', result: { error: NEVER_STARTED } });
  });
});
