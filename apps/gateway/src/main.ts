import { ConfigError, loadConfig } from '@tempest/config';
import { createLogger } from '@tempest/logging';
import { createGatewayApp } from './app';

async function main() {
  const config = loadConfig(process.env);
  const logger = createLogger('gateway', config.logLevel);
  const app = await createGatewayApp(config, logger);
  await app.listen({ host: config.gateway.host, port: config.gateway.port });
  logger.info({ url: config.gateway.publicUrl, host: config.gateway.host, port: config.gateway.port }, 'gateway listening');
}

main().catch((error) => {
  const message = error instanceof ConfigError ? error.message : `gateway failed to start: ${error instanceof Error ? error.message : error}`;
  console.error(message);
  process.exit(1);
});
