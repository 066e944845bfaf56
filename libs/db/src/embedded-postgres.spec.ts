import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { eventually, freePort } from '@tempest/testing';
import { postmasterReady, prepareEmbeddedPostgres } from './embedded-postgres';

/** Runs a prepared command as the cluster says (as root: as the postgres user) and answers its exit code. */
function run(command: { command: string; args: string[]; uid?: number; gid?: number; env?: NodeJS.ProcessEnv }) {
  const child = spawn(command.command, command.args, { uid: command.uid, gid: command.gid, env: command.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe(prepareEmbeddedPostgres.name, () => {
  it('initialises and runs a cluster whose data folder is under a folder only its owner can enter (mktemp -d)', async () => {
    const privateDir = mkdtempSync(join(tmpdir(), 'tempest-private-'));
    chmodSync(privateDir, 0o700);
    const dataDir = join(privateDir, '.data');
    const port = await freePort();

    const { server, init, location } = await prepareEmbeddedPostgres({ dataDir, port });
    expect(init).toBeDefined();
    // As root Postgres runs as the postgres user, who cannot enter privateDir: the cluster lives elsewhere.
    if (process.getuid?.() === 0) expect(location).toMatch(/^\/var\/lib\/tempest\/postgres-clusters\/[0-9a-f]{16}$/);
    else expect(location).toBe(join(dataDir, 'postgres'));
    const initdb = run(init!);
    expect({ code: await initdb.exited, output: initdb.output() }).toMatchObject({ code: 0 });
    await init!.initialised();

    const postgres = run(server);
    try {
      const answer = await eventually(async () => {
        const client = new Client({ connectionString: server.url('postgres'), connectionTimeoutMillis: 1_000 });
        try {
          await client.connect();
          return (await client.query<{ answer: number }>('select 41 + 1 as answer')).rows[0].answer;
        } catch {
          return undefined;
        } finally {
          await client.end().catch(() => undefined);
        }
      }, `Postgres on :${port} (${postgres.output()})`, 30_000);
      expect(answer).toBe(42);
      // Tempest uses no logical replication: no launcher process idles waiting for it.
      const client = new Client({ connectionString: server.url('postgres') });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where backend_type = 'logical replication launcher'");
        expect(rows[0].n).toBe(0);
      } finally {
        await client.end();
      }
      // Ready as its postmaster.pid says, for that postmaster only (a file left behind names another).
      expect(postmasterReady(location, postgres.child.pid!)).toBe(true);
      expect(postmasterReady(location, postgres.child.pid! + 1)).toBe(false);
      // The next start finds the same cluster.
      expect((await prepareEmbeddedPostgres({ dataDir, port })).init).toBeUndefined();
    } finally {
      process.kill(-postgres.child.pid!, 'SIGINT');
      await postgres.exited;
      expect(postmasterReady(location, postgres.child.pid!)).toBe(false);
      // As root the cluster lives outside the private folder: remove it with the folder.
      rmSync(realpathSync(join(dataDir, 'postgres')), { recursive: true, force: true });
      rmSync(privateDir, { recursive: true, force: true });
    }
  }, 120_000);
});
