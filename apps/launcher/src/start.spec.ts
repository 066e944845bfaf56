import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { findRepoRoot } from '@tempest/config';
import { SEARCH_ATTRIBUTES } from '@tempest/temporal';
import { freePort, runProcess } from '@tempest/testing';

// `npm start` end to end, on its own data folder and ports: the real launcher,
// Temporal dev server, embedded Postgres, gateway, worker and sensors.

const repoRoot = findRepoRoot();


/** The real launcher in its own process, as `npm start` runs it once dependencies are built. */
function launch(env: NodeJS.ProcessEnv) {
  const entry = join(repoRoot, 'dist/apps/launcher/src/main.js');
  return runProcess(`require(${JSON.stringify(entry)}).main('start', ${JSON.stringify(repoRoot)}).then((code) => process.exit(code))`, env, ['-e']);
}

/** Processes whose command line mentions `dir`: the platform's servers name their data folder. */
function processesUsing(dir: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      } catch {
        return '';
      }
    })
    .filter((cmd) => cmd.includes(dir) && !cmd.includes('jest'));
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
    // Under the repo, not /tmp: as root, a data folder the postgres user cannot enter puts the cluster in /var/lib/tempest.
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

  it('refuses a malformed variable with one line naming it, and starts nothing', async () => {
    const sut = launch({ ...env, TEMPEST_POSTGRES_PORT: '5432x' });
    expect(await sut.exited).toBe(1);
    expect(sut.lines).toEqual(['tempest: invalid configuration:', '  - TEMPEST_POSTGRES_PORT="5432x": expected a TCP port number']);
    expect(existsSync(join(dataDir, 'tempest.lock'))).toBe(false);
  });

  it('refuses to start when a port it needs is taken, naming the port and the variable, and starts nothing', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(gatewayPort, '127.0.0.1', resolve));
    try {
      const sut = launch(env);
      expect(await sut.exited).toBe(1);
      expect(sut.lines.join('\n')).toContain(`port ${gatewayPort} (the gateway) is already in use: stop whatever holds it or set TEMPEST_GATEWAY_PORT`);
      expect(existsSync(join(dataDir, 'tempest.lock'))).toBe(false);
      expect(existsSync(join(dataDir, 'logs/temporal.log'))).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('stops what it started when interrupted while starting, leaving no half-made database', async () => {
    const sut = launch(env);
    await sut.printed(/initialising the embedded Postgres cluster/);
    sut.child.kill('SIGINT');
    expect(await sut.exited).toBe(130);
    expect(processesUsing(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
    expect(existsSync(join(dataDir, 'tempest.lock'))).toBe(false);
  });

  it('starts with its data folder under a folder only its owner can enter (a mktemp -d folder, or /root)', async () => {
    const privateDir = mkdtempSync(join(tmpdir(), 'tempest-private-'));
    chmodSync(privateDir, 0o700);
    const privateData = join(privateDir, '.data');
    const sut = launch({ ...env, TEMPEST_DATA_DIR: privateData });
    try {
      await sut.printed(/^Press Ctrl-C to stop\./);
      expect((await fetch(`http://127.0.0.1:${gatewayPort}/api/v1/health`)).status).toBe(200);
    } finally {
      sut.child.kill('SIGINT');
      await sut.exited;
      // As root the cluster lives outside the private folder: remove it with the folder.
      if (existsSync(join(privateData, 'postgres'))) rmSync(realpathSync(join(privateData, 'postgres')), { recursive: true, force: true });
      rmSync(privateDir, { recursive: true, force: true });
    }
    expect(await sut.exited).toBe(0);
  });

  it('brings the platform up, refuses a second start, stops every process on SIGINT and keeps the data', async () => {
    const first = launch(env);
    await first.printed(/^Press Ctrl-C to stop\./);
    const key = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
    expect(statSync(join(dataDir, 'admin-api-key')).mode & 0o777).toBe(0o600);
    expect(first.lines.join('\n')).toContain(`Admin API key  ${key}`);
    expect(first.lines.join('\n')).toContain(`http://localhost:${gatewayPort}/api/v1/openapi.json`);
    expect(first.lines.join('\n')).toContain(`Temporal Web   http://localhost:${env.TEMPEST_TEMPORAL_UI_PORT}`);

    const api = `http://127.0.0.1:${gatewayPort}/api/v1`;
    const health = await fetch(`${api}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', postgres: { status: 'up' }, temporal: { status: 'up' } });
    expect((await fetch(`${api}/apikeys`)).status).toBe(401);
    expect((await fetch(`${api}/apikeys`, { headers: { 'X-Api-Key': key } })).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${env.TEMPEST_TEMPORAL_UI_PORT}/`)).status).toBe(200);
    // Temporal's SQLite file journals in WAL mode.
    expect(existsSync(join(dataDir, 'temporal.sqlite-wal'))).toBe(true);
    const connection = await Connection.connect({ address: `127.0.0.1:${env.TEMPEST_TEMPORAL_PORT}` });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(Object.keys(SEARCH_ATTRIBUTES)));
    } finally {
      await connection.close();
    }
    const packs = (await (await fetch(`${api}/packs`, { headers: { 'X-Api-Key': key } })).json()) as { ref: string }[];
    expect(packs.map((p) => p.ref)).toContain('core');
    const actions = (await (await fetch(`${api}/actions?pack=core`, { headers: { 'X-Api-Key': key } })).json()) as { ref: string }[];
    expect(actions.map((a) => a.ref)).toEqual(expect.arrayContaining(['core.local', 'core.noop', 'core.http', 'core.remote']));

    const headers = { 'X-Api-Key': key, 'content-type': 'application/json' };
    const created = await fetch(`${api}/executions`, { method: 'POST', headers, body: JSON.stringify({ action: 'core.local', parameters: { cmd: 'echo hello' } }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    let output = '';
    for (let after = '0', status = 'requested'; !['succeeded', 'failed', 'timeout', 'canceled'].includes(status); ) {
      const page = (await (await fetch(`${api}/executions/${id}/output?after=${after}&wait=10`, { headers })).json()) as { status: string; chunks: { id: string; data: string }[] };
      output += page.chunks.map((c) => c.data).join('');
      after = page.chunks.at(-1)?.id ?? after;
      status = page.status;
    }
    expect(output).toBe('hello\n');
    expect(await (await fetch(`${api}/executions/${id}`, { headers })).json()).toMatchObject({ status: 'succeeded', result: { return_code: 0, stdout: 'hello' } });

    // The command line, as a user types it.
    const tempest = (...args: string[]) =>
      spawnSync(process.execPath, [join(repoRoot, 'apps/cli/bin/tempest.js'), ...args], {
        env: { PATH: process.env.PATH, TEMPEST_API_URL: `http://127.0.0.1:${gatewayPort}`, TEMPEST_API_KEY: key },
        encoding: 'utf8',
      });
    expect(tempest('run', 'core.local', 'cmd=echo hello')).toMatchObject({ status: 0, stdout: 'hello\n' });
    const failed = tempest('run', 'core.local', 'cmd=exit 3', 'timeout=30');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/status\s+failed/);
    // A payload stays text: parameters rendered into a command are shell-quoted.
    expect(tempest('run', 'core.echo', 'message=$(echo injected); `id` \'quoted\'')).toMatchObject({ status: 0, stdout: "$(echo injected); `id` 'quoted'\n" });
    expect(tempest('run', 'core.local', 'colour=red')).toMatchObject({ status: 1, stderr: expect.stringContaining('parameter colour: unknown parameter') });
    const listed = JSON.parse(tempest('execution', 'list', '--action', 'core.local', '--json').stdout) as { context: { source: string } }[];
    expect(listed[0].context.source).toBe('cli');
    // The datastore key generated on first start: private, and secrets work.
    expect(statSync(join(dataDir, 'datastore-key')).mode & 0o777).toBe(0o600);
    const secret = tempest('key', 'set', 'launcher.secret', 'hunter2', '--secret');
    expect(secret).toMatchObject({ status: 0, stdout: expect.stringMatching(/value\s+\*{8}/) });
    expect(secret.stdout).not.toContain('hunter2');

    const second = launch(env);
    expect(await second.exited).toBe(1);
    expect(second.lines.join('\n')).toMatch(/Tempest is already running on this data folder \(npm start, pid \d+/);

    const children = (JSON.parse(readFileSync(join(dataDir, 'tempest.lock'), 'utf8')) as { children: { name: string; pid: number }[] }).children;
    expect(children.map((c) => c.name).sort()).toEqual(['gateway', 'postgres', 'sensors', 'temporal', 'worker']);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(children.filter((c) => alive(c.pid))).toEqual([]);
    expect(processesUsing(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'tempest.lock'))).toBe(false);

    const again = launch(env);
    await again.printed(/^Press Ctrl-C to stop\./);
    const keys = await fetch(`${api}/apikeys`, { headers: { 'X-Api-Key': key } });
    expect(keys.status).toBe(200);
    // Used before the restart: the row (and its history) survived it.
    expect(((await keys.json()) as { last_used_at: string | null }[])[0].last_used_at).not.toBeNull();
    // The same datastore key after the restart: the secret still decrypts.
    expect(tempest('key', 'get', 'launcher.secret', '--decrypt').stdout).toMatch(/value\s+hunter2/);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
