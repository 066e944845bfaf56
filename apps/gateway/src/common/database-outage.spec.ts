import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ActionRepository, PackRepository } from '@tempest/db';
import { captureLogs, createTestDatabase, setConnectionsAllowed, testConfig, type TestDatabase, uniqueName } from '@tempest/testing';
import { createGatewayApp } from '../app';

const ADMIN_KEY = 'tpst_test-admin-key-outage-0123456789';

describe('gateway while its database is unavailable', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  const webhook = () =>
    app.inject({ method: 'POST', url: '/api/v1/webhooks/disk', headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' }, payload: { host: 'web-1' } });

  beforeAll(async () => {
    database = await createTestDatabase();
    await new PackRepository(database.db).upsert({ ref: 'alerts', name: 'alerts', description: 'd', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/alerts', metadata: {} });
    await new ActionRepository(database.db).replaceForPack('alerts', [
      { ref: 'alerts.notify', pack: 'alerts', name: 'notify', description: 'notify', runnerType: 'noop', enabled: true, parameters: {}, tags: [], metadataFile: 'actions/notify.yaml', metadata: {} },
    ]);
    // A task queue no worker serves: executions are started and stay there.
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY, TEMPORAL_TASK_QUEUE: uniqueName('unserved') }), captureLogs('gateway', 'warn').logger);
    const rule = { name: 'disk', pack: 'alerts', trigger: { type: 'core.st2.webhook', parameters: { url: 'disk' } }, action: { ref: 'alerts.notify', parameters: {} } };
    expect((await app.inject({ method: 'POST', url: '/api/v1/rules', headers: { 'x-api-key': ADMIN_KEY }, payload: rule })).statusCode).toBe(201);
  });
  afterAll(async () => {
    if (database) await setConnectionsAllowed(database, true);
    await app?.close();
    await database?.drop();
  });

  it('answers 503 naming the database, with Retry-After, and 202 again once it is back', async () => {
    expect((await webhook()).statusCode).toBe(202);
    await setConnectionsAllowed(database, false);

    const refused = await webhook();
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toEqual({ statusCode: 503, error: 'SERVICE_UNAVAILABLE', message: 'the database is unavailable; try again', faultstring: 'the database is unavailable; try again', requestId: expect.any(String) });

    await setConnectionsAllowed(database, true);
    expect((await webhook()).statusCode).toBe(202);
  });
});
