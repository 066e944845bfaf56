import { z } from 'zod';
import { DATASTORE_KEY_FORM, parseDatastoreKey } from './datastore-key';

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

const datastoreKey = z.string().transform((text, ctx) => {
  const key = parseDatastoreKey(text);
  if (!key) ctx.addIssue({ code: 'custom', message: DATASTORE_KEY_FORM });
  return key ?? z.NEVER;
});

/** Absolute folders separated by `:` (as PATH and StackStorm's packs_base_paths). */
const absoluteFolders = z.string().transform((text, ctx) => {
  const folders = text.split(':').filter((folder) => folder !== '');
  for (const folder of folders) if (!folder.startsWith('/')) ctx.addIssue({ code: 'custom', message: `expected absolute folders separated by ":", got "${folder}"` });
  return folders;
});

const seconds = (max: number) =>
  z.coerce.number({ error: 'expected seconds' }).int('expected whole seconds').min(1, 'expected at least 1 second').max(max, `expected at most ${max} seconds`);

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
  // Unset: the embedded Temporal Web, on TEMPEST_TEMPORAL_UI_PORT.
  TEMPORAL_WEB_URL: httpUrl.optional(),
  TEMPORAL_CLI: z.string().min(1).optional(),
  TEMPEST_GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
  TEMPEST_GATEWAY_PORT: port.default(9101),
  TEMPEST_PUBLIC_URL: httpUrl.optional(),
  TEMPEST_ADMIN_API_KEY: z.string().min(16, 'expected at least 16 characters').optional(),
  TEMPEST_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  TEMPEST_DATA_DIR: z.string().min(1).default('.data'),
  TEMPEST_CACHE_DIR: z.string().min(1).optional(),
  TEMPEST_PACKS_DIR: z.string().min(1).default('packs'),
  TEMPEST_WEBHOOK_MAX_BYTES: z.coerce.number({ error: 'expected a number of bytes' }).int('expected a whole number of bytes').min(1, 'expected at least 1 byte').max(100 * 1024 * 1024, 'expected at most 104857600 (100 MiB)').default(1024 * 1024),
  TEMPEST_CONFIGS_DIR: z.string().min(1).default('configs'),
  TEMPEST_API_URL: httpUrl.optional(),
  TEMPEST_API_KEY: z.string().min(1).optional(),
  TEMPEST_POSTGRES_PORT: port.default(5433),
  TEMPEST_TEMPORAL_PORT: port.default(7233),
  TEMPEST_TEMPORAL_UI_PORT: port.default(8233),
  TEMPEST_DATASTORE_KEY: datastoreKey.optional(),
  TEMPEST_DATASTORE_KEY_FILE: z.string().min(1).optional(),
  TEMPEST_SENSOR_LEASE_SECONDS: seconds(3600).default(15),
  TEMPEST_STREAM_HEARTBEAT_SECONDS: seconds(300).default(25),
  TEMPEST_STREAM_CLIENT_BUFFER_BYTES: z.coerce.number({ error: 'expected a number of bytes' }).int('expected a whole number of bytes').min(1024, 'expected at least 1024 bytes').max(1024 * 1024 * 1024, 'expected at most 1073741824 (1 GiB)').default(4 * 1024 * 1024),
  TEMPEST_PACK_INSTALL_ROOTS: absoluteFolders.default([]),
  TEMPEST_STATEMENT_TIMEOUT_SECONDS: seconds(3600).default(60),
  TEMPEST_TRIGGER_INSTANCE_LEASE_SECONDS: seconds(3600).default(60),
  TEMPEST_SSH_KNOWN_HOSTS: z.string().min(1).optional(),
} as const;

export const configSchema = z.object(configShape);

export type TempestEnv = z.output<typeof configSchema>;
