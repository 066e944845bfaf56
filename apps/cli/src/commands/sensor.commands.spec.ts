import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { registerPack } from '@tempest/packs';
import { startCliGateway, type CliGateway } from '../testing/cli-harness';
import { sensorCommand } from './sensor.commands';

describe(sensorCommand.name, () => {
  let gateway: CliGateway;

  const tempest = (...argv: string[]) => gateway.tempest(...argv);

  beforeAll(async () => {
    gateway = await startCliGateway({ prepare: async (database) => {
      await registerPack(database.db, join(findRepoRoot(), 'packs/examples'), findRepoRoot());
    } });
  });
  afterAll(async () => {
    await gateway.stop();
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
