import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TempestConfig } from '@tempest/config';
import { connectClient, temporalConnectionOptions } from '@tempest/temporal';
import { BenchSetupError } from './benchmark';

/**
 * The workflow bundle the worker project builds. Apps may not import each
 * other, so the path is repeated here rather than taken from apps/worker.
 */
export function requireWorkflowBundle(repoRoot: string): string {
  const codePath = join(repoRoot, 'dist/apps/worker/workflow-bundle.js');
  if (!existsSync(codePath)) throw new BenchSetupError(`no workflow bundle at ${codePath}: run \`npx nx build worker\` first`);
  return codePath;
}

export interface TemporalConnections {
  /** For the benchmark's own worker. */
  connection: NativeConnection;
  client: Client;
  close(): Promise<void>;
}

/** Worker and client connections, or one line saying which server did not answer. */
export async function connectTemporal(temporal: TempestConfig['temporal']): Promise<TemporalConnections> {
  let connection: NativeConnection | undefined;
  try {
    connection = await NativeConnection.connect(await temporalConnectionOptions(temporal));
    const client = await connectClient(temporal);
    const native = connection;
    return {
      connection: native,
      client,
      async close() {
        await client.connection.close();
        await native.close();
      },
    };
  } catch (error) {
    await connection?.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new BenchSetupError(
      `cannot reach Temporal at ${temporal.address} (${reason}): start Tempest with \`npm start\` or set TEMPORAL_ADDRESS`,
    );
  }
}
