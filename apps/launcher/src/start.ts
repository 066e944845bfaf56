import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { TempestConfig } from '@tempest/config';
import { resolveAdminKey } from './admin-key';
import { resolveDatastoreKey } from './datastore-key';
import { say, warn } from './console';
import { DataDirLock } from './lock';
import { runStep, startEmbeddedPostgres, startTemporalDevServer, type Platform } from './platform';
import { assertPortsFree, type PortClaim } from './ports';
import { Supervisor } from './supervisor';
import { httpGet, waitUntilReady } from './wait';

const SERVICES = ['gateway', 'worker', 'sensors'] as const;

/**
 * `npm start`: the whole platform on embedded defaults (or on the external
 * Temporal and Postgres the config names), until Ctrl-C.
 */
export async function start(repoRoot: string, config: TempestConfig): Promise<number> {
  const began = performance.now();
  const dataDir = resolve(repoRoot, config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // Before anything starts: a bad key stops start-up naming its variable.
  const datastoreKey = resolveDatastoreKey(dataDir, config);
  const lock = await DataDirLock.acquire(join(dataDir, 'tempest.lock'), 'npm start');
  const embeddedTemporal = !config.temporal.external;
  const embeddedPostgres = !config.databaseUrl;

  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((r) => (finish = r));
  const supervisor = new Supervisor(join(dataDir, 'logs'), {
    onGaveUp: (name, reason, tail) => {
      warn(`${name} ${reason}; stopping everything. Its last lines (${relative(process.cwd(), supervisor.logFile(name))}):\n${tail.map((l) => `  ${l}`).join('\n')}`);
      finish(1);
    },
    onRestarted: (name, child) => lock.recordRestart(name, child.pid!),
  });
  // One shutdown, whoever asks first; every path awaits the same one.
  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      say('stopping...');
      await supervisor.stopAll();
      lock.release();
      say('stopped; data kept in ' + relative(process.cwd(), dataDir));
    })());
  // npm forwards Ctrl-C to us on top of the terminal's own SIGINT: every
  // repeat must be absorbed, or the default handler kills us mid-shutdown.
  let up = false;
  let interrupted = false;
  const onSignal = () => {
    if (up) return finish(0);
    // Still starting: stop the children now; the start-up step waiting on one
    // of them fails, and the catch below turns that into exit code 130.
    interrupted = true;
    void shutdown();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const claims: PortClaim[] = [{ port: config.gateway.port, what: 'the gateway', variable: 'TEMPEST_GATEWAY_PORT' }];
    if (embeddedTemporal) {
      claims.push({ port: config.embedded.temporalPort, what: 'Temporal', variable: 'TEMPEST_TEMPORAL_PORT' });
      claims.push({ port: config.embedded.temporalUiPort, what: 'Temporal Web', variable: 'TEMPEST_TEMPORAL_UI_PORT' });
    }
    if (embeddedPostgres) claims.push({ port: config.embedded.postgresPort, what: 'embedded Postgres', variable: 'TEMPEST_POSTGRES_PORT' });
    await assertPortsFree(claims);

    const platform: Platform = { repoRoot, dataDir, supervisor, lock, env: process.env };
    const temporalAddress = embeddedTemporal
      ? await startTemporalDevServer(platform, { port: config.embedded.temporalPort, uiPort: config.embedded.temporalUiPort, namespace: config.temporal.namespace, headless: false, fresh: false })
      : config.temporal.address;
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const server = await startEmbeddedPostgres(platform, config.embedded.postgresPort);
      databaseUrl = server.url('tempest');
    }

    say('migrating the database and registering packs...');
    const stepEnv = { ...process.env, DATABASE_URL: databaseUrl, ...datastoreKey.env };
    await runStep('prepare-database', embeddedPostgres ? ['--create'] : [], stepEnv, 'migrating the database and registering packs');

    const admin = resolveAdminKey(dataDir, config.adminApiKey);
    const env = { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, TEMPEST_ADMIN_API_KEY: admin.key, ...datastoreKey.env };
    for (const name of SERVICES) {
      say(`starting ${name}...`);
      const child = supervisor.start({
        name,
        command: process.execPath,
        args: ['--enable-source-maps', join(repoRoot, 'dist/apps', name, 'src/main.js')],
        env,
        echoWarnings: true,
      });
      lock.recordChild(name, child.pid!, join('dist/apps', name));
    }
    await waitUntilReady(
      'the gateway',
      async () => {
        const { status, body } = await httpGet(`http://127.0.0.1:${config.gateway.port}/api/v1/health`);
        if (status !== 200) throw new Error(`health answered ${status}: ${body}`);
      },
      { timeoutMs: 60_000, exited: supervisor.exited('gateway'), logFile: supervisor.logFile('gateway') },
    );

    const api = config.gateway.publicUrl;
    const seconds = ((performance.now() - began) / 1000).toFixed(1);
    process.stdout.write(
      [
        '',
        `Tempest is up (started in ${seconds}s).`,
        '',
        `  API            ${api}/api/v1`,
        `  OpenAPI        ${api}/api/v1/openapi.json`,
        `  API docs       ${api}/api/docs`,
        `  Temporal Web   ${config.temporal.webUrl.replace(/\/$/, '')}${embeddedTemporal ? '' : ' (external)'}`,
        `  Admin API key  ${admin.key}`,
        `                 (from ${admin.source === 'TEMPEST_ADMIN_API_KEY' ? admin.source : relative(process.cwd(), admin.source)})`,
        `  Logs           ${relative(process.cwd(), join(dataDir, 'logs'))}/`,
        '',
        `  Try: curl -H "X-Api-Key: ${admin.key}" ${api}/api/v1/health`,
        '',
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    up = true;
    // From here on a crash is an outage to recover from, not a failed start.
    supervisor.restartCrashed();
    const code = await finished;
    await shutdown();
    return code;
  } catch (error) {
    await shutdown();
    if (interrupted) return 130;
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
