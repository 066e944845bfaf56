import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { captureLogs, createTestDatabase, testConfig, type TestDatabase } from '@tempest/testing';
// The real gateway, in this process: the CLI's specs talk to it over HTTP as the CLI does.
import { createGatewayApp } from '../../../gateway/src/app';
import { cli } from '../cli';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** A `tempest` command line run in this process, as the CLI runs it, against the gateway at `base` with `apiKey`. */
export function tempestAgainst(base: string, apiKey: string): (...argv: string[]) => Promise<CliRun> {
  // No settings file of the user's: only these variables configure it.
  const env = { TEMPEST_API_URL: base, TEMPEST_API_KEY: apiKey, XDG_CONFIG_HOME: '/nonexistent' };
  return async (...argv) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await cli(argv, env, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}

export interface CliGateway {
  database: TestDatabase;
  app: NestFastifyApplication;
  base: string;
  adminKey: string;
  tempest: (...argv: string[]) => Promise<CliRun>;
  stop(): Promise<void>;
}

/**
 * The gateway in this process on a database of its own, with `tempest` run
 * against it: `prepare` fills the database first (packs, rows), `env` adds
 * configuration (a task queue no worker serves, for instance).
 */
export async function startCliGateway(options: { prepare?: (database: TestDatabase) => Promise<void>; env?: Record<string, string> } = {}): Promise<CliGateway> {
  const adminKey = `tpst_test-admin-key-cli-${Math.random().toString(36).slice(2)}-0123456789`;
  const database = await createTestDatabase();
  await options.prepare?.(database);
  const app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: adminKey, ...options.env }), captureLogs().logger);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  return {
    database,
    app,
    base,
    adminKey,
    tempest: tempestAgainst(base, adminKey),
    async stop() {
      await app.close();
      await database.drop();
    },
  };
}
