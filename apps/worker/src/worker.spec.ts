import { existsSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { findRepoRoot } from '@tempest/config';
import { captureLogs, createTestDatabase, testConfig, uniqueName, type TestDatabase } from '@tempest/testing';
import type { PingResult } from '@tempest/workflows';
import { createTempestWorker } from './worker';
import { workflowBundlePath } from './workflow-bundle';

describe(createTempestWorker.name, () => {
  const config = testConfig();
  const bundle = workflowBundlePath(findRepoRoot());
  let connection: Connection;
  let client: Client;
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    connection = await Connection.connect({ address: config.temporal.address });
    client = new Client({ connection, namespace: config.temporal.namespace });
  });
  afterAll(async () => {
    await connection.close();
    await database.drop();
  });

  it('uses the workflow bundle prebuilt by the build', () => {
    expect(existsSync(bundle)).toBe(true);
  });

  it('serves its task queue: a workflow from the bundle runs its activity on this worker', async () => {
    const taskQueue = uniqueName('tempest-actions-test');
    const sut = await createTempestWorker({ config, logger: captureLogs('worker').logger, workflowBundlePath: bundle, taskQueue, db: database.db, packsDir: '/nonexistent' });
    const result = await sut.worker.runUntil(
      client.workflow.execute<() => Promise<PingResult>>('ping', { taskQueue, workflowId: uniqueName('ping') }),
    );
    expect(result.worker).toEqual({ identity: expect.stringMatching(/^tempest-worker@/), pid: process.pid, taskQueue });
  });

  it('stops polling and closes its connection on shutdown', async () => {
    const { logger, lines } = captureLogs('worker');
    const sut = await createTempestWorker({ config, logger, workflowBundlePath: bundle, taskQueue: uniqueName('tempest-actions-test'), db: database.db, packsDir: '/nonexistent' });
    const running = sut.run();
    sut.worker.shutdown();
    await running;
    expect(sut.worker.getState()).toBe('STOPPED');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['worker polling', 'worker stopped']);
  });
});
