import { readFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import type { TempestConfig } from '@tempest/config';

type TemporalConfig = TempestConfig['temporal'];

async function tlsOptions(config: TemporalConfig) {
  if (!config.tls) return undefined;
  const [cert, key, ca] = await Promise.all(
    [config.tlsCertPath, config.tlsKeyPath, config.tlsCaPath].map((p) => (p ? readFile(p) : Promise.resolve(undefined))),
  );
  return {
    clientCertPair: cert && key ? { crt: cert, key } : undefined,
    serverRootCACertificate: ca,
  };
}

/** Options shared by client and worker connections, from the one config. */
export async function temporalConnectionOptions(config: TemporalConfig) {
  return { address: config.address, tls: await tlsOptions(config), apiKey: config.apiKey };
}

export async function connectClient(config: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect({ ...(await temporalConnectionOptions(config)), connectTimeout: '5s' });
  return new Client({ connection, namespace: config.namespace });
}

/**
 * Resolves once the namespace answers within the deadline; throws the
 * server's reason otherwise.
 */
export async function pingTemporal(client: Client, timeoutMs = 3_000): Promise<void> {
  await client.connection.withDeadline(Date.now() + timeoutMs, () =>
    client.workflowService.describeNamespace({ namespace: client.options.namespace }),
  );
}
