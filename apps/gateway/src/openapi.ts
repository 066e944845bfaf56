import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_JSON_PATH = '/api/v1/openapi.json';
export const API_DOCS_PATH = '/api/docs';

/** The OpenAPI document, generated from controllers and DTOs; operation ids are method names. */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tempest API')
    .setDescription('Event-driven automation for operations teams: packs, actions, executions, rules and triggers on Temporal.')
    .setVersion(version)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'St2-Api-Key', description: 'Accepted for StackStorm clients' }, 'st2-api-key')
    .addSecurityRequirements('api-key')
    .addSecurityRequirements('st2-api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
  return document;
}

export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup(API_DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: '/api/v1/openapi.yaml',
    swaggerOptions: { persistAuthorization: true },
  });
}
