import { formatMemoryReport, type MeasuredProcess } from './memory-report';

const process = (pid: number, service: string, rssMiB: number, label?: string): MeasuredProcess => ({
  pid,
  ppid: 1,
  pgid: pid,
  command: `/usr/bin/node /repo/dist/apps/${service}/src/main.js`,
  service,
  label,
  memory: { rss: rssMiB * 1024, pss: (rssMiB / 2) * 1024, uss: (rssMiB / 4) * 1024 },
});

describe(formatMemoryReport.name, () => {
  it('gives each service the median of the samples, the total, and the last sample process by process', () => {
    const report = formatMemoryReport(
      [
        [process(1, 'gateway', 100), process(2, 'postgres', 10)],
        [process(1, 'gateway', 120), process(2, 'postgres', 10), process(3, 'postgres', 20, 'tempest-gateway')],
        [process(1, 'gateway', 110), process(2, 'postgres', 10)],
      ],
      2_000,
    );
    const lines = report.split('\n');
    expect(lines[0]).toBe("benchmark memory: the platform's processes, median of 3 sample(s) 2 s apart, MiB");
    expect(lines.find((l) => l.startsWith('gateway'))!.split(/\s+/)).toEqual(['gateway', '1', '110.0', '55.0', '27.5']);
    expect(lines.find((l) => l.startsWith('postgres'))!.split(/\s+/)).toEqual(['postgres', '1', '10.0', '5.0', '2.5']);
    expect(lines.find((l) => l.startsWith('total'))!.split(/\s+/)).toEqual(['total', '2', '120.0', '60.0', '30.0']);
    expect(report).toContain('node dist/apps/gateway/src/main.js');
    expect(report).not.toContain('tempest-gateway'); // the last sample only
  });
});
