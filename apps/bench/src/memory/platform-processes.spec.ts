import { LAUNCHER, platformProcesses, WRAPPER } from './platform-processes';
import type { ProcessEntry } from './proc';

const table = (entries: [pid: number, ppid: number, pgid: number, command: string][]) =>
  new Map(entries.map(([pid, ppid, pgid, command]): [number, ProcessEntry] => [pid, { pid, ppid, pgid, command }]));

describe(platformProcesses.name, () => {
  const processes = table([
    [1, 0, 1, '/sbin/init'],
    [90, 1, 90, 'bash'],
    [100, 90, 100, 'npm start'],
    [101, 100, 100, 'sh -c node apps/launcher/bin/tempest-dev.mjs start'],
    [102, 101, 100, 'node apps/launcher/bin/tempest-dev.mjs start'],
    [200, 102, 200, 'postgres -D .data/postgres'],
    [201, 200, 200, 'postgres: checkpointer'],
    [202, 200, 200, 'postgres: tempest tempest 127.0.0.1(40054) idle'],
    [300, 102, 300, 'node dist/apps/sensors/src/main.js'],
    [301, 300, 300, 'node dist/apps/sensors/src/sensor-runtime.js examples.FileTailSensor'],
    [400, 102, 400, 'node dist/apps/gateway/src/main.js'],
    [500, 102, 102, 'bash temporal/provision.sh'],
    [900, 1, 900, 'node dist/apps/gateway/src/main.js'],
  ]);
  const lock = { pid: 102, children: [{ name: 'postgres', pid: 200 }, { name: 'sensors', pid: 300 }, { name: 'gateway', pid: 400 }] };

  it('groups the tree below the launcher by the recorded service each process descends from', () => {
    const found = new Map(platformProcesses(lock, processes).map((p) => [p.pid, p.service]));
    expect(Object.fromEntries(found)).toEqual({
      100: WRAPPER,
      101: WRAPPER,
      102: LAUNCHER,
      200: 'postgres',
      201: 'postgres',
      202: 'postgres',
      300: 'sensors',
      301: 'sensors',
      400: 'gateway',
      500: LAUNCHER,
    });
  });

  it('counts no wrapper when the launcher was started directly, and nothing when it is gone', () => {
    const direct = table([
      [90, 1, 90, 'bash'],
      [102, 90, 102, 'node apps/launcher/bin/tempest-dev.mjs start'],
    ]);
    expect(platformProcesses({ pid: 102, children: [] }, direct).map((p) => p.service)).toEqual([LAUNCHER]);
    expect(platformProcesses({ pid: 102, children: [] }, table([]))).toEqual([]);
  });
});
