import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { findRepoRoot } from '@tempest/config';
import { registerPack } from '@tempest/packs';
import { captureLogs, createTestDatabase, testConfig, type TestDatabase } from '@tempest/testing';
// The real gateway, in this process, on a database of its own.
import { createGatewayApp } from '../../../gateway/src/app';
import { cli } from '../cli';
import { sensorCommand } from './sensor.commands';

const ADMIN_KEY = 'tpst_test-admin-key-cli-sensors-0123';

describe(sensorCommand.name, () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let env: NodeJS.ProcessEnv;

  /** One command line, as `tempest ...` runs it. */
  async function tempest(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await cli(argv, env, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await registerPack(database.db, join(findRepoRoot(), 'packs/examples'), findRepoRoot());
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY }), captureLogs().logger);
    await app.listen({ host: '127.0.0.1', port: 0 });
    env = { TEMPEST_API_URL: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`, TEMPEST_API_KEY: ADMIN_KEY, XDG_CONFIG_HOME: '/nonexistent' };
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('lists sensors, and disables and enables one', async () => {
    expect(await tempest('sensor', 'list')).toEqual({ code: 0, err: '', out: expect.stringMatching(/\nexamples\.FileTailSensor\s+true\s+2s\s+examples\.file_line$/) });
    expect(await tempest('sensor', 'disable', 'examples.FileTailSensor')).toMatchObject({ code: 0, out: 'examples.FileTailSensor: disabled' });
    expect(JSON.parse((await tempest('sensor', 'list', '--pack', 'examples', '--json')).out)).toEqual([expect.objectContaining({ ref: 'examples.FileTailSensor', enabled: false })]);
    expect(await tempest('sensor', 'enable', 'examples.FileTailSensor')).toMatchObject({ code: 0, out: 'examples.FileTailSensor: enabled' });
    expect((await tempest('sensor', 'get', 'examples.FileTailSensor')).out).toMatch(/^ref\s+examples\.FileTailSensor\nenabled\s+true\n/);
  });

  it('says which sensor it does not know, and how to call it', async () => {
    expect(await tempest('sensor', 'enable', 'examples.Nope')).toMatchObject({ code: 1, err: 'tempest: no sensor "examples.Nope" is registered' });
    expect(await tempest('sensor', 'enable')).toMatchObject({ code: 2, err: 'tempest: tempest sensor enable <ref>' });
    expect((await tempest('sensor', 'start')).code).toBe(2);
  });
});
