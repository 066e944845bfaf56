import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { findRepoRoot } from '@tempest/config';
import { listenToPostgres, SensorTypeRepository } from '@tempest/db';
import { registerPack } from '@tempest/packs';
import { captureLogs, createTestDatabase, eventually, testConfig, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';
import { SensorTypeController } from './sensor-type.controller';

const ADMIN_KEY = 'tpst_test-admin-key-sensors-0123456789';
const REF = 'examples.FileTailSensor';

describe(SensorTypeController.name, () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const headers: Record<string, string> = { 'X-Api-Key': ADMIN_KEY };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    expect(await registerPack(database.db, join(findRepoRoot(), 'packs/examples'), findRepoRoot())).toMatchObject({ ref: 'examples', sensors: { created: [REF] } });
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY }), captureLogs('gateway').logger);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/api/v1/sensortypes`;
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it("lists registered sensors with StackStorm's field names", async () => {
    const { status, body } = await call('GET', '?pack=examples');
    expect(status).toBe(200);
    expect(body).toEqual([
      {
        id: REF,
        uid: 'sensor_type:examples:FileTailSensor',
        ref: REF,
        pack: 'examples',
        name: 'FileTailSensor',
        class_name: 'FileTailSensor',
        entry_point: 'file_tail.ts',
        description: expect.stringContaining('Tails the files'),
        enabled: true,
        poll_interval: 2,
        trigger_types: ['examples.file_line'],
        metadata_file: 'sensors/file_tail.yaml',
        registered_at: expect.any(String),
        updated_at: expect.any(String),
      },
    ]);
    expect((await call('GET', '?pack=core')).body).toEqual([]);
  });

  it('disables and enables a sensor, notifying the sensor containers', async () => {
    const notified: string[] = [];
    const listener = listenToPostgres(database.url, { channels: { tempest_sensors: (ref) => notified.push(ref) } });
    await listener.ready;
    try {
      const disabled = await call('PATCH', `/${REF}`, { enabled: false });
      expect(disabled).toMatchObject({ status: 200, body: { ref: REF, enabled: false } });
      expect((await new SensorTypeRepository(database.db).getByRef(REF))?.enabled).toBe(false);
      expect((await call('GET', `/${REF}`)).body.enabled).toBe(false);
      expect((await call('PATCH', `/${REF}`, { enabled: true })).body.enabled).toBe(true);
      await eventually(() => notified.length >= 2 || undefined, 'both changes to be notified', 5_000);
      expect(notified).toEqual([REF, REF]);
    } finally {
      await listener.close();
    }
  });

  it('disables and enables a sensor as `st2 sensor disable|enable` does: a PUT of the sensor it read, enabled changed', async () => {
    const read = (await call('GET', `/${REF}`)).body;
    expect(await call('PUT', `/${REF}`, { ...read, enabled: false })).toMatchObject({ status: 200, body: { ref: REF, enabled: false } });
    expect((await call('PUT', `/${REF}`, { ...read, enabled: true })).body).toEqual({ ...read, enabled: true, updated_at: expect.any(String) });
    expect(await call('PUT', `/${REF}`, { ...read, poll_interval: 1 })).toMatchObject({ status: 400, body: { faultstring: "poll_interval: only enabled can be changed through the API; the rest comes from the pack's sensors/file_tail.yaml" } });
    expect(await call('PUT', '/examples.Nope', { ...read, enabled: false })).toMatchObject({ status: 404 });
  });

  it('answers 400 for a body without a boolean and 404 for an unknown sensor', async () => {
    expect(await call('PATCH', `/${REF}`, { enabled: 'yes' })).toMatchObject({ status: 400, body: { message: ['enabled must be true or false'] } });
    expect(await call('PATCH', '/examples.Nope', { enabled: false })).toMatchObject({ status: 404, body: { message: 'no sensor "examples.Nope" is registered' } });
    expect((await call('GET', '/examples.Nope')).status).toBe(404);
  });
});
