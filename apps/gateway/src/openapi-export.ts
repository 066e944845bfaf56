import { writeFileSync } from 'node:fs';
import { loadConfig } from '@tempest/config';
import { createLogger } from '@tempest/logging';
import { createGatewayApp } from './app';
import { buildOpenApiDocument } from './openapi';

// `node dist/apps/gateway/src/openapi-export.js <file>`: writes the OpenAPI
// document generated from the code, without a database or Temporal (their
// connections are lazy and nothing is served).
async function main() {
  const file = process.argv[2];
  if (!file) throw new Error('usage: openapi-export.js <output file>');
  const config = loadConfig({ DATABASE_URL: 'postgres://openapi@127.0.0.1:1/none', TEMPEST_LOG_LEVEL: 'error' });
  const app = await createGatewayApp(config, createLogger('openapi-export', 'error'));
  try {
    writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(app, '0.1.0'), null, 2)}\n`);
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  console.error(`openapi export failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
