import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { BadRequestException, RequestMethod, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TempestConfig } from '@tempest/config';
import type { Logger } from '@tempest/logging';
import { AppModule } from './app.module';
import { AccessLog } from './common/access-log';
import { ignoreContentTypeWithoutBody } from './common/empty-body';
import { ErrorFilter } from './common/error.filter';
import { NestLogger } from './common/nest-logger';
import { RequestInputInterceptor } from './common/request-input';
import { StackStormListingInterceptor } from './common/stackstorm-listing';
import { buildOpenApiDocument, serveOpenApi } from './openapi';
import { STREAM_PATH } from './stream/stream.controller';
import { limitWebhookBodies } from './webhooks/webhook-body-limit';

export const API_PREFIX = 'api/v1';
const VERSION = '0.1.0';

/** Builds the gateway (not yet listening): used by main and by tests alike. */
export async function createGatewayApp(config: TempestConfig, logger: Logger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger.child({ component: 'http' }),
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    logController: new AccessLog(),
    // StackStorm's clients ask for collections with a trailing slash (`/api/v1/rules/`).
    routerOptions: { ignoreTrailingSlash: true },
  });
  limitWebhookBodies(adapter.getInstance(), config.webhookMaxBytes);
  ignoreContentTypeWithoutBody(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger), adapter, {
    logger: new NestLogger(logger.child({ component: 'nest' })),
    abortOnError: false,
    // Webhook signatures cover the body's bytes as sent.
    rawBody: true,
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: [{ path: STREAM_PATH, method: RequestMethod.GET }] });
  app.useGlobalFilters(new ErrorFilter(logger));
  app.useGlobalInterceptors(new RequestInputInterceptor(), new StackStormListingInterceptor());
  // Unknown fields are refused rather than ignored, and every violation is listed.
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new BadRequestException(errors.flatMap((e) => Object.values(e.constraints ?? {}))),
    }),
  );
  app.enableShutdownHooks();
  serveOpenApi(app, buildOpenApiDocument(app, VERSION));
  await app.init();
  return app;
}

