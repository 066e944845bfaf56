import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { PackRepository } from './pack.repository';
import { SensorTypeRepository, type SensorTypeRecord } from './sensor-type.repository';

describe(SensorTypeRepository.name, () => {
  let database: TestDatabase;
  let sut: SensorTypeRepository;
  const sensor = (className: string, metadata: Record<string, unknown> = {}): SensorTypeRecord => ({
    ref: `ops.${className}`, pack: 'ops', name: className, className, entryPoint: `${className}.ts`, description: '', enabled: true,
    pollInterval: 10, triggerTypes: ['ops.event'], metadataFile: `sensors/${className}.yaml`, metadata: { class_name: className, ...metadata },
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = new SensorTypeRepository(database.db);
    await new PackRepository(database.db).upsert({ ref: 'ops', name: 'ops', description: '', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/ops', metadata: {} });
  });
  afterAll(() => database.drop());

  it("makes the pack's sensors exactly those given, keeping a disable until the metadata changes", async () => {
    expect(await sut.replaceForPack('ops', [sensor('Watcher'), sensor('Poller')])).toEqual({ created: ['ops.Watcher', 'ops.Poller'], updated: [], unchanged: [], removed: [] });
    await sut.setEnabled('ops.Watcher', false);
    expect(await sut.replaceForPack('ops', [sensor('Watcher')])).toEqual({ created: [], updated: [], unchanged: ['ops.Watcher'], removed: ['ops.Poller'] });
    expect((await sut.getByRef('ops.Watcher'))?.enabled).toBe(false);
    expect(await sut.searchRunnable()).toEqual([]);

    expect((await sut.replaceForPack('ops', [sensor('Watcher', { poll_interval: 5 })])).updated).toEqual(['ops.Watcher']);
    expect(await sut.searchRunnable()).toEqual([expect.objectContaining({ ref: 'ops.Watcher', enabled: true, pack_path: '/packs/ops', trigger_types: ['ops.event'], poll_interval: 10 })]);
  });
});
