import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Action } from '@tempest/db';
import { captureLogs, createTestDatabase, testConfig, uniqueName, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';
import { ExecutionLauncher } from './execution-launcher';

describe(`${ExecutionLauncher.name} without a datastore key`, () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  const action = { ref: 'ops.login', pack: 'ops', runner_type: 'local-shell-cmd', parameters: { token: { type: 'string' } } } as unknown as Action;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = testConfig({ DATABASE_URL: database.url, TEMPEST_DATASTORE_KEY: '', TEMPORAL_TASK_QUEUE: uniqueName('unserved'), TEMPEST_ADMIN_API_KEY: 'tpst_launcher-test-key-0123456789' });
    app = await createGatewayApp(config, captureLogs('gateway', 'fatal').logger);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('refuses secret values, naming the parameters, as they could not be kept sealed', async () => {
    const sut = app.get(ExecutionLauncher);
    const context = { executionId: 'e-1', user: 'admin' };
    expect(await sut.prepare(action, { cmd: 'echo {{ token }}', token: 'hunter2' }, context, ['token'])).toEqual({
      ok: false,
      violations: ['token: secret parameters need the datastore key: set TEMPEST_DATASTORE_KEY or TEMPEST_DATASTORE_KEY_FILE', 'cmd: secret parameters need the datastore key: set TEMPEST_DATASTORE_KEY or TEMPEST_DATASTORE_KEY_FILE'],
    });
    expect(await sut.prepare(action, { cmd: 'echo {{ token }}', token: 'public' }, context)).toMatchObject({ ok: true, values: { cmd: 'echo public' } });
  });
});
