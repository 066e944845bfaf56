import { z } from 'zod';

const port = z.coerce
  .number({ error: 'expected a TCP port number' })
  .int('expected a whole number')
  .min(1, 'expected a port from 1 to 65535')
  .max(65535, 'expected a port from 1 to 65535');

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/.+/, 'expected postgres://user:password@host:port/database');

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port, e.g. localhost:7233');

/**
 * Every environment variable Tempest reads, with its default. The README's
 * configuration reference is checked against this list by a test.
 */
export const configShape = {
  DATABASE_URL: postgresUrl.optional(),
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('tempest-actions'),
  TEMPORAL_TLS: bool.default(false),
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS_CA: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_WEB_URL: httpUrl.default('http://localhost:8233'),
  TEMPORAL_CLI: z.string().min(1).optional(),
  TEMPEST_GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
  TEMPEST_GATEWAY_PORT: port.default(9101),
  TEMPEST_PUBLIC_URL: httpUrl.optional(),
  TEMPEST_ADMIN_API_KEY: z.string().min(16, 'expected at least 16 characters').optional(),
  TEMPEST_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  TEMPEST_DATA_DIR: z.string().min(1).default('.data'),
  TEMPEST_CACHE_DIR: z.string().min(1).optional(),
  TEMPEST_PACKS_DIR: z.string().min(1).default('packs'),
  TEMPEST_API_URL: httpUrl.optional(),
  TEMPEST_API_KEY: z.string().min(1).optional(),
  TEMPEST_POSTGRES_PORT: port.default(5433),
  TEMPEST_TEMPORAL_PORT: port.default(7233),
  TEMPEST_TEMPORAL_UI_PORT: port.default(8233),
} as const;

export const configSchema = z.object(configShape);

export type TempestEnv = z.output<typeof configSchema>;
