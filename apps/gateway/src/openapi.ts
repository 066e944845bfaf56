import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { getAbsoluteFSPath } from 'swagger-ui-dist';

export const OPENAPI_JSON_PATH = '/api/v1/openapi.json';
export const API_DOCS_PATH = '/api/docs';

/** The OpenAPI document, generated from controllers and DTOs; operation ids are method names. */
export function buildOpenApiDocument(app: NestFastifyApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tempest API')
    .setDescription('Event-driven automation for operations teams: packs, actions, executions, rules and triggers on Temporal.')
    .setVersion(version)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'St2-Api-Key', description: 'Accepted for StackStorm clients' }, 'st2-api-key')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: "A running action's token (ST2_ACTION_AUTH_TOKEN), valid until its execution ends" }, 'auth-token')
    .addSecurityRequirements('api-key')
    .addSecurityRequirements('st2-api-key')
    .addSecurityRequirements('auth-token')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The API key as a bearer token, for tools that can only send Authorization' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method });
}

const UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Tempest API</title>
  <link rel="stylesheet" href="${API_DOCS_PATH}/swagger-ui.css">
  <link rel="icon" href="${API_DOCS_PATH}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${API_DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${API_DOCS_PATH}/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: '${OPENAPI_JSON_PATH}',
      dom_id: '#swagger-ui',
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout',
      persistAuthorization: true,
    });
  </script>
</body>
</html>
`;

/**
 * The JSON and YAML documents, and a docs page whose Swagger UI assets come
 * from the installed swagger-ui-dist, so the page works without internet.
 */
export function serveOpenApi(app: NestFastifyApplication, document: OpenAPIObject): void {
  SwaggerModule.setup(API_DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: '/api/v1/openapi.yaml',
    swaggerUiEnabled: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get(API_DOCS_PATH, (_request, reply) => reply.type('text/html; charset=utf-8').send(DOCS_PAGE));
  const assets = getAbsoluteFSPath();
  for (const [file, type] of Object.entries(UI_ASSETS)) {
    fastify.get(`${API_DOCS_PATH}/${file}`, (_request, reply) => reply.type(type).send(createReadStream(join(assets, file))));
  }
}
