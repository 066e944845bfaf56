import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { eventually, freePort, runProcess, type RunningProcess } from '@tempest/testing';

// `npm start` under `kill -9`: each crashed service is restarted and the
// platform serves again within seconds, with nothing accepted lost or run twice.

const repoRoot = findRepoRoot();

/** The real launcher in its own process, as `npm start` runs it once dependencies are built. */
function launch(env: NodeJS.ProcessEnv): RunningProcess {
  const entry = join(repoRoot, 'dist/apps/launcher/src/main.js');
  return runProcess(`require(${JSON.stringify(entry)}).main('start', ${JSON.stringify(repoRoot)}).then((code) => process.exit(code))`, env, ['-e']);
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('npm start restarts a crashed service', () => {
  let dataDir: string;
  let sut: RunningProcess;
  let base: string;
  let api: (path: string, body?: unknown) => Promise<Response>;
  const ran = () => join(dataDir, 'ran.txt');

  /** The pid the launcher recorded for a child, read from its lock file as an operator would. */
  const pidOf = (name: string): number =>
    (JSON.parse(readFileSync(join(dataDir, 'tempest.lock'), 'utf8')) as { children: { name: string; pid: number }[] }).children.find((c) => c.name === name)!.pid;

  /** The whole platform answers: the gateway, and through it Postgres and Temporal. */
  const serving = async () => {
    try {
      const response = await fetch(`${base}/api/v1/health`);
      const health = (await response.json()) as Json;
      return response.status === 200 && health.postgres?.status === 'up' && health.temporal?.status === 'up';
    } catch {
      return false;
    }
  };

  /** Posts a webhook whose rule appends `mark` to ran.txt; answers the execution's id once accepted (202). */
  const accept = async (mark: string): Promise<string> => {
    const response = await api('/webhooks/chaos', { mark });
    expect(response.status).toBe(202);
    const outcome = (await response.json()) as Json;
    return outcome.rule_enforcements[0].execution_id as string;
  };

  const ranOnce = async (id: string, mark: string) => {
    await eventually(async () => ((await (await api(`/executions/${id}`)).json()) as Json).status === 'succeeded', `execution ${id} (${mark}) to succeed`, 60_000);
    expect(readFileSync(ran(), 'utf8').split('\n').filter((line) => line === mark)).toEqual([mark]);
  };

  /** Waits as `eventually` does; on failure, says what the launcher printed meanwhile. */
  const launcherSays = async <T>(from: number, probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms: number): Promise<T> => {
    try {
      return await eventually(probe, what, ms);
    } catch (error) {
      throw new Error(`${(error as Error).message}; the launcher said meanwhile:\n${sut.lines.slice(from).join('\n')}`);
    }
  };

  /** kill -9 of one child, as the OOM killer or an operator would; the launcher says it restarts it. */
  const crash = async (name: string) => {
    const from = sut.lines.length;
    const said = (pattern: RegExp) => sut.lines.slice(from).some((line) => pattern.test(line));
    process.kill(pidOf(name), 'SIGKILL');
    await launcherSays(from, () => said(new RegExp(`^tempest: ${name} exited \\(code 137\\); restarting in [0-9.]+ s \\(restart \\d+\\)`)), `the launcher to restart ${name}`, 15_000);
    await launcherSays(from, () => said(new RegExp(`^tempest: ${name} restarted \\(pid \\d+\\)`)), `a new ${name} process`, 15_000);
  };

  beforeAll(async () => {
    // Under the repo, not /tmp: as root, a data folder the postgres user cannot enter puts the cluster in /var/lib/tempest.
    mkdirSync(join(repoRoot, '.data/test'), { recursive: true });
    dataDir = mkdtempSync(join(repoRoot, '.data/test/restart-'));
    chmodSync(dataDir, 0o755);
    const gatewayPort = await freePort();
    base = `http://127.0.0.1:${gatewayPort}`;
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPEST_') && !k.startsWith('TEMPORAL_') && !k.startsWith('TEST_') && k !== 'DATABASE_URL'));
    sut = launch({
      ...inherited,
      TEMPEST_DATA_DIR: dataDir,
      TEMPEST_GATEWAY_PORT: String(gatewayPort),
      TEMPEST_POSTGRES_PORT: String(await freePort()),
      TEMPEST_TEMPORAL_PORT: String(await freePort()),
      TEMPEST_TEMPORAL_UI_PORT: String(await freePort()),
    });
    await sut.printed(/^Press Ctrl-C to stop\./);
    const key = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
    api = (path, body) =>
      fetch(`${base}/api/v1${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'X-Api-Key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const rule = {
      name: 'chaos',
      pack: 'examples',
      trigger: { type: 'core.st2.webhook', parameters: { url: 'chaos' } },
      action: { ref: 'core.local', parameters: { cmd: `echo {{ trigger.body.mark }} >> ${ran()}` } },
    };
    expect((await api('/rules', rule)).status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    sut?.child.kill('SIGINT');
    await sut?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(['gateway', 'sensors'])('serves again within seconds after a kill -9 of the %s, and runs what it accepted just before, once', async (name) => {
    const id = await accept(`before-${name}`);
    await crash(name);
    await eventually(serving, `the platform serving again after the ${name} was killed`, 15_000);
    await ranOnce(id, `before-${name}`);
    await ranOnce(await accept(`after-${name}`), `after-${name}`);
  }, 120_000);

  it('serves again within seconds after a kill -9 of the worker, whose successor runs what was accepted just before, once', async () => {
    // Frozen first, so the kill lands before it could start the action: a worker
    // killed while an action runs is the audit trail's concern (abandoned), not the launcher's.
    process.kill(pidOf('worker'), 'SIGSTOP');
    const id = await accept('before-worker');
    await crash('worker');
    await eventually(serving, 'the platform serving again after the worker was killed', 15_000);
    await ranOnce(id, 'before-worker');
    await ranOnce(await accept('after-worker'), 'after-worker');
  }, 120_000);

  it('restarts Temporal on the same SQLite file after a kill -9: a workflow started before it finishes, once', async () => {
    const id = await accept('before-temporal');
    await crash('temporal');
    await eventually(serving, 'the platform serving again after Temporal was killed', 30_000);
    await ranOnce(id, 'before-temporal');
    await ranOnce(await accept('after-temporal'), 'after-temporal');
  }, 120_000);

  it('restarts Postgres on the same data folder after a kill -9, and the services reconnect to it', async () => {
    const executionsBefore = ((await (await api('/executions?action=core.local&limit=100')).json()) as Json[]).map((e) => e.id as string);
    await crash('postgres');
    await launcherSays(0, serving, 'the platform serving again after Postgres was killed', 30_000);
    // The rule made before the crash still fires, and every earlier execution is still there.
    await ranOnce(await accept('after-postgres'), 'after-postgres');
    const executionsAfter = ((await (await api('/executions?action=core.local&limit=100')).json()) as Json[]).map((e) => e.id as string);
    expect(executionsAfter).toEqual(expect.arrayContaining(executionsBefore));
  }, 120_000);

  it('stops everything, exiting 1 and saying why, when a service keeps crashing', async () => {
    const from = sut.lines.length;
    const said = () => sut.lines.slice(from);
    const killed = new Set<number>();
    while (!said().some((line) => line.includes('sensors keeps crashing'))) {
      const pid = await eventually(() => {
        const current = pidOf('sensors');
        return !killed.has(current) && existsSync(`/proc/${current}`) && current;
      }, 'a new sensors process', 20_000);
      killed.add(pid);
      process.kill(pid, 'SIGKILL');
      await launcherSays(from, () => said().filter((line) => /^tempest: sensors (exited|keeps crashing)/.test(line)).length === killed.size, 'the launcher to tell of the crash', 20_000);
    }
    expect(killed.size).toBeLessThanOrEqual(6);
    expect(await sut.exited).toBe(1);
    expect(said()).toContainEqual(expect.stringMatching(/^tempest: sensors keeps crashing: exited \(code 137\), \d times in a row soon after starting; stopping everything/));
    expect(said()).toContain('tempest: stopping...');
    expect(await serving()).toBe(false);
    expect(existsSync(join(dataDir, 'tempest.lock'))).toBe(false);
  }, 60_000);
});
