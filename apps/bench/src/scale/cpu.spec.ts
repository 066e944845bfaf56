import { cpuUse, machineTicks, processTicks, type CpuSnapshot } from './cpu';

describe(processTicks.name, () => {
  it('adds user, system and waited-for children time, reading past a command name with spaces and parentheses', () => {
    // Fields after comm: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
    const stat = '4242 (postgres: a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0';
    expect(processTicks(stat)).toBe(250 + 50 + 7 + 3);
  });
});

describe(machineTicks.name, () => {
  it('counts idle and iowait as not busy', () => {
    expect(machineTicks('cpu  100 5 40 800 20 1 2 3 0 0\ncpu0 50 2 20 400 10 0 1 1 0 0')).toEqual({ busy: 151, total: 971 });
  });

  it('refuses a line that is not the cpu total', () => {
    expect(() => machineTicks('intr 1 2 3')).toThrow('not a /proc/stat cpu line: intr');
  });
});

describe(cpuUse.name, () => {
  it('gives each group in % of one core and the machine in % of all cores, over the elapsed time', () => {
    const before: CpuSnapshot = { at: 0, groups: { temporal: 1000, worker: 500 }, machine: { busy: 10_000, total: 40_000 } };
    // 2 s later on 2 cores at 100 ticks/s: 400 ticks in all, 300 of them busy.
    const after: CpuSnapshot = { at: 2000, groups: { temporal: 1150, worker: 540, 'worker 2': 60 }, machine: { busy: 10_300, total: 40_400 } };
    expect(cpuUse(before, after, 100)).toEqual({ groups: { temporal: 75, worker: 20, 'worker 2': 30 }, machineBusy: 75, cores: 2 });
  });
});
