import { parseSmapsRollup, parseStat, readMemory, readProcessTable } from './proc';

describe(parseSmapsRollup.name, () => {
  it('reads RSS, PSS and the private pages (USS) in KiB', () => {
    const text = [
      '55d0c0000000-7ffd00000000 ---p 00000000 00:00 0                          [rollup]',
      'Rss:              134572 kB',
      'Pss:               93226 kB',
      'Pss_Anon:          89000 kB',
      'Shared_Clean:      41000 kB',
      'Private_Clean:       120 kB',
      'Private_Dirty:     91000 kB',
    ].join('\n');
    expect(parseSmapsRollup(text)).toEqual({ rss: 134572, pss: 93226, uss: 91120 });
  });
});

describe(parseStat.name, () => {
  it('reads the parent and the process group after a command name holding spaces and parentheses', () => {
    expect(parseStat('4242 (node (a) b) S 4200 4100 4100 0 -1 4194560')).toEqual({ ppid: 4200, pgid: 4100 });
  });
});

describe(readProcessTable.name, () => {
  it('lists this process with its parent, process group, command line and memory', () => {
    const me = readProcessTable().get(process.pid);
    expect(me).toMatchObject({ pid: process.pid, ppid: process.ppid });
    expect(me?.command).toContain(process.argv[1]);
    const memory = readMemory(process.pid)!;
    expect(memory.rss).toBeGreaterThan(memory.uss);
    expect(memory.uss).toBeGreaterThan(0);
  });
});
