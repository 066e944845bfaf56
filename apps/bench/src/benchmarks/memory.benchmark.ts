import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import { eventually } from '@tempest/testing';
import { BenchSetupError, type BenchContext, type BenchReportText, type Benchmark } from '../benchmark';
import { formatMemoryReport, type MemorySample } from '../memory/memory-report';
import { platformProcesses, type LauncherLock } from '../memory/platform-processes';
import { readMemory, readProcessTable } from '../memory/proc';

const flags = {
  samples: { default: 5, minimum: 1, description: 'samples to take; the report gives their medians' },
  'interval-ms': { default: 2_000, minimum: 0, description: 'milliseconds between samples' },
};

function readLock(dataDir: string): LauncherLock {
  const file = join(dataDir, 'tempest.lock');
  const missing = `no platform runs on ${dataDir} (no launcher in ${file}): start one with \`npm start\` (TEMPEST_DATA_DIR names its data folder)`;
  if (!existsSync(file)) throw new BenchSetupError(missing);
  const lock = JSON.parse(readFileSync(file, 'utf8')) as LauncherLock;
  if (!existsSync(`/proc/${lock.pid}`)) throw new BenchSetupError(missing);
  return lock;
}

/**
 * Which client each backend of the embedded Postgres serves (its application
 * name), asked over a connection whose own backend is gone before we measure.
 */
async function backendClients(dataDir: string, port: number): Promise<Map<number, string>> {
  const credentialsFile = join(dataDir, 'postgres-credentials.json');
  if (!existsSync(credentialsFile)) return new Map();
  const { user, password } = JSON.parse(readFileSync(credentialsFile, 'utf8')) as { user: string; password: string };
  const client = new Client({ host: '127.0.0.1', port, user, password, database: 'postgres', application_name: 'tempest-bench-memory', connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ pid: number; name: string; own: boolean }>(
      "select pid, application_name as name, pid = pg_backend_pid() as own from pg_stat_activity where backend_type = 'client backend'",
    );
    const own = rows.find((r) => r.own)?.pid;
    await client.end();
    if (own) await eventually(() => !existsSync(`/proc/${own}`), 'the benchmark\'s own Postgres backend to exit', 5_000);
    return new Map(rows.filter((r) => !r.own).map((r) => [r.pid, r.name || 'no application name']));
  } catch {
    await client.end().catch(() => undefined);
    return new Map(); // labels are a nicety: the figures stand without them
  }
}

function takeSample(lock: LauncherLock, labels: Map<number, string>): MemorySample {
  const sample: MemorySample = [];
  for (const process of platformProcesses(lock, readProcessTable())) {
    const memory = readMemory(process.pid);
    if (memory) sample.push({ ...process, memory, label: labels.get(process.pid) });
  }
  return sample;
}

/**
 * Memory of the platform `npm start` runs on TEMPEST_DATA_DIR, every process
 * of its tree (from /proc) grouped by service, with RSS, PSS and USS: measure
 * it idle, before and after a change.
 */
async function runMemory({ config, repoRoot, options }: BenchContext): Promise<BenchReportText> {
  const dataDir = resolve(repoRoot, config.dataDir);
  const lock = readLock(dataDir);
  const labels = config.databaseUrl ? new Map<number, string>() : await backendClients(dataDir, config.embedded.postgresPort);
  const samples: MemorySample[] = [];
  for (let i = 0; i < options.samples; i += 1) {
    if (i > 0) await delay(options['interval-ms']);
    samples.push(takeSample(lock, labels));
  }
  return { report: formatMemoryReport(samples, options['interval-ms']) };
}

export const memoryBenchmark: Benchmark = {
  description: 'memory (RSS, PSS, USS) of every process of a running `npm start`, by service',
  flags,
  run: runMemory,
};
