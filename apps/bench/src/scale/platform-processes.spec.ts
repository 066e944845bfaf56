import { lockedProcesses } from './platform-processes';

describe(lockedProcesses.name, () => {
  it("names each child of npm start's lock file, with the processes below it", () => {
    const lock = JSON.stringify({
      pid: 1,
      mode: 'npm start',
      children: [
        { name: 'temporal', pid: 27408, command: '/root/.cache/tempest/temporal-cli/v1.5.1/temporal' },
        { name: 'postgres', pid: 27576, command: 'postgres' },
        { name: 'worker', pid: 'not a pid', command: 'dist/apps/worker' },
      ],
    });
    expect(lockedProcesses(lock)).toEqual({ temporal: { pid: 27408, tree: true }, postgres: { pid: 27576, tree: true } });
  });

  it('finds nothing in a lock without children', () => {
    expect(lockedProcesses('{"pid": 1}')).toEqual({});
  });
});
