import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findRepoRoot } from '@tempest/config';
import { freePort } from '@tempest/testing';

// `npm start` end to end, on its own data folder and ports: the real launcher,
// Temporal dev server, embedded Postgres, gateway, worker and sensors.

const repoRoot = findRepoRoot();


interface Launched {
  child: ChildProcess;
  output: string[];
  /** Resolves when a line matching `pattern` is printed. */
  printed(pattern: RegExp): Promise<string>;
  exited: Promise<number | null>;
}

function launch(env: NodeJS.ProcessEnv): Launched {
  const entry = join(repoRoot, 'dist/apps/launcher/src/main.js');
  const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(entry)}).main('start', ${JSON.stringify(repoRoot)}).then((code) => process.exit(code))`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) waiter.resolve(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output,
    exited,
    printed: (pattern) =>
      new Promise((resolve, reject) => {
        const seen = output.find((line) => pattern.test(line));
        if (seen) return resolve(seen);
        waiters.push({ pattern, resolve });
        void exited.then((code) => reject(new Error(`launcher exited (${code}) before printing ${pattern}:\n${output.join('\n')}`)));
      }),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let gatewayPort: number;

  beforeAll(async () => {
    // Under the repo, not /tmp: as root, Postgres runs as the postgres user and must reach its folder.
    mkdirSync(join(repoRoot, '.data/test'), { recursive: true });
    dataDir = mkdtempSync(join(repoRoot, '.data/test/launcher-'));
    chmodSync(dataDir, 0o755);
    gatewayPort = await freePort();
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPEST_') && !k.startsWith('TEMPORAL_') && !k.startsWith('TEST_') && k !== 'DATABASE_URL'));
    env = {
      ...inherited,
      TEMPEST_DATA_DIR: dataDir,
      TEMPEST_GATEWAY_PORT: String(gatewayPort),
      TEMPEST_POSTGRES_PORT: String(await freePort()),
      TEMPEST_TEMPORAL_PORT: String(await freePort()),
      TEMPEST_TEMPORAL_UI_PORT: String(await freePort()),
    };
  });

  it('refuses to start when a port it needs is taken, naming the port and the variable, and starts nothing', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(gatewayPort, '127.0.0.1', resolve));
    try {
      const sut = launch(env);
      expect(await sut.exited).toBe(1);
      expect(sut.output.join('\n')).toContain(`port ${gatewayPort} (the gateway) is already in use: stop whatever holds it or set TEMPEST_GATEWAY_PORT`);
      expect(existsSync(join(dataDir, 'tempest.lock'))).toBe(false);
      expect(existsSync(join(dataDir, 'logs/temporal.log'))).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('brings the platform up, refuses a second start, stops every process on SIGINT and keeps the data', async () => {
    const first = launch(env);
    await first.printed(/^Press Ctrl-C to stop\./);
    const key = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
    expect(statSync(join(dataDir, 'admin-api-key')).mode & 0o777).toBe(0o600);
    expect(first.output.join('\n')).toContain(`Admin API key  ${key}`);
    expect(first.output.join('\n')).toContain(`http://localhost:${gatewayPort}/api/v1/openapi.json`);

    const api = `http://127.0.0.1:${gatewayPort}/api/v1`;
    const health = await fetch(`${api}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', postgres: { status: 'up' }, temporal: { status: 'up' } });
    expect((await fetch(`${api}/apikeys`)).status).toBe(401);
    expect((await fetch(`${api}/apikeys`, { headers: { 'X-Api-Key': key } })).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${env.TEMPEST_TEMPORAL_UI_PORT}/`)).status).toBe(200);
    const packs = (await (await fetch(`${api}/packs`, { headers: { 'X-Api-Key': key } })).json()) as { ref: string }[];
    expect(packs.map((p) => p.ref)).toContain('core');

    const second = launch(env);
    expect(await second.exited).toBe(1);
    expect(second.output.join('\n')).toMatch(/Tempest is already running on this data folder \(npm start, pid \d+/);

    const children = (JSON.parse(readFileSync(join(dataDir, 'tempest.lock'), 'utf8')) as { children: { name: string; pid: number }[] }).children;
    expect(children.map((c) => c.name).sort()).toEqual(['gateway', 'postgres', 'sensors', 'temporal', 'worker']);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(children.filter((c) => alive(c.pid))).toEqual([]);
    expect(existsSync(join(dataDir, 'tempest.lock'))).toBe(false);

    const again = launch(env);
    await again.printed(/^Press Ctrl-C to stop\./);
    const keys = await fetch(`${api}/apikeys`, { headers: { 'X-Api-Key': key } });
    expect(keys.status).toBe(200);
    // Used before the restart: the row (and its history) survived it.
    expect(((await keys.json()) as { lastUsedAt: string | null }[])[0].lastUsedAt).not.toBeNull();
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
