import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { testConfig, uniqueName } from '@tempest/testing';
import { ping, type DiagnosticsActivities } from './diagnostics.workflow';

describe(ping.name, () => {
  it('answers with its workflow id and the worker its activity ran on', async () => {
    const config = testConfig();
    const taskQueue = uniqueName('workflows-test');
    const activities: DiagnosticsActivities = { describeWorker: async () => ({ identity: 'w1', pid: 42, taskQueue }) };
    const workerConnection = await NativeConnection.connect({ address: config.temporal.address });
    const connection = await Connection.connect({ address: config.temporal.address });
    try {
      const worker = await Worker.create({ connection: workerConnection, workflowsPath: require.resolve('./index'), activities, taskQueue });
      const client = new Client({ connection, namespace: config.temporal.namespace });
      const workflowId = uniqueName('ping');
      const result = await worker.runUntil(client.workflow.execute(ping, { taskQueue, workflowId }));
      expect(result).toEqual({ workflowId, worker: { identity: 'w1', pid: 42, taskQueue } });
    } finally {
      await Promise.all([connection.close(), workerConnection.close()]);
    }
  });
});
