import { configSchema, configShape, TempestEnv } from './config.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface TempestConfig {
  databaseUrl?: string;
  temporal: {
    address: string;
    /** True when TEMPORAL_ADDRESS names a server; otherwise `npm start` runs the dev server. */
    external: boolean;
    namespace: string;
    taskQueue: string;
    tls: boolean;
    tlsCertPath?: string;
    tlsKeyPath?: string;
    tlsCaPath?: string;
    apiKey?: string;
    webUrl: string;
    cliPath?: string;
  };
  gateway: { host: string; port: number; publicUrl: string };
  adminApiKey?: string;
  /** For API clients (the CLI, benchmarks): where the gateway is and the key to send. */
  apiUrl?: string;
  apiKey?: string;
  logLevel: TempestEnv['TEMPEST_LOG_LEVEL'];
  dataDir: string;
  /** Where provisioned tools (the Temporal CLI) are cached across clones. */
  cacheDir?: string;
  packsDir: string;
  /** Largest webhook body accepted (413 beyond it). */
  webhookMaxBytes: number;
  /** Packs' config values, one `<pack>.yaml` each (StackStorm's /opt/stackstorm/configs). */
  configsDir: string;
  embedded: { postgresPort: number; temporalPort: number; temporalUiPort: number };
  /**
   * The datastore's AES-256-GCM key (TEMPEST_DATASTORE_KEY), or the file holding it
   * (TEMPEST_DATASTORE_KEY_FILE, read by @tempest/datastore at start-up). Neither: secrets are refused.
   */
  datastore: { key?: Buffer; keyFile?: string };
  /** How long a sensor container's claim on a sensor lasts unless renewed; another container takes the sensor over after it. */
  sensors: { leaseSeconds: number };
  /** The event stream: keep-alive comment interval, and the most a slow client may leave unread before it is disconnected. */
  stream: { heartbeatSeconds: number; clientBufferBytes: number };
  /** The folders `POST /packs/install` may copy a pack from (none: git URLs only). */
  packInstallRoots: string[];
  /** Postgres cancels any statement of ours that runs longer. */
  statementTimeoutSeconds: number;
  /** How long a gateway's claim on a trigger instance it processes lasts unless renewed; another gateway takes the instance over after it. */
  triggerInstanceLeaseSeconds: number;
  /** The known_hosts file SSH host keys are checked against; unset, `~/.ssh/known_hosts` of the worker's user. */
  sshKnownHosts?: string;
}

/** Variables whose values are secrets: a problem with one never echoes the value. */
const SECRET_VARIABLES = new Set(['TEMPEST_DATASTORE_KEY']);

const known = new Set(Object.keys(configShape));

/**
 * Reads and validates the environment once. A bad value, or a TEMPEST_*
 * variable nobody reads (usually a typo), fails with the variable's name and
 * the expected form; nothing else in Tempest reads process.env.
 */
export function loadConfig(env: Record<string, string | undefined>): TempestConfig {
  const problems: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (name.startsWith('TEMPEST_') && !known.has(name)) {
      problems.push(`${name}: unknown variable (known: ${[...known].filter((k) => k.startsWith('TEMPEST_')).join(', ')})`);
    }
  }
  const present = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => known.has(name) && value !== undefined && value !== ''),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      problems.push(SECRET_VARIABLES.has(name) ? `${name}: ${issue.message}` : `${name}=${JSON.stringify(present[name])}: ${issue.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return toConfig(parsed.data as TempestEnv);
}

function toConfig(env: TempestEnv): TempestConfig {
  const tlsFiles = [env.TEMPORAL_TLS_CERT, env.TEMPORAL_TLS_KEY].filter(Boolean).length;
  if (tlsFiles === 1) {
    throw new ConfigError(['TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both for mutual TLS, or neither']);
  }
  if (env.TEMPEST_DATASTORE_KEY && env.TEMPEST_DATASTORE_KEY_FILE) {
    throw new ConfigError(['TEMPEST_DATASTORE_KEY and TEMPEST_DATASTORE_KEY_FILE: set one of them, not both']);
  }
  return {
    databaseUrl: env.DATABASE_URL,
    temporal: {
      address: env.TEMPORAL_ADDRESS ?? `localhost:${env.TEMPEST_TEMPORAL_PORT}`,
      external: env.TEMPORAL_ADDRESS !== undefined,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      tls: env.TEMPORAL_TLS || tlsFiles === 2 || env.TEMPORAL_API_KEY !== undefined,
      tlsCertPath: env.TEMPORAL_TLS_CERT,
      tlsKeyPath: env.TEMPORAL_TLS_KEY,
      tlsCaPath: env.TEMPORAL_TLS_CA,
      apiKey: env.TEMPORAL_API_KEY,
      webUrl: env.TEMPORAL_WEB_URL ?? `http://localhost:${env.TEMPEST_TEMPORAL_UI_PORT}`,
      cliPath: env.TEMPORAL_CLI,
    },
    gateway: {
      host: env.TEMPEST_GATEWAY_HOST,
      port: env.TEMPEST_GATEWAY_PORT,
      publicUrl: env.TEMPEST_PUBLIC_URL ?? `http://localhost:${env.TEMPEST_GATEWAY_PORT}`,
    },
    adminApiKey: env.TEMPEST_ADMIN_API_KEY,
    apiUrl: env.TEMPEST_API_URL,
    apiKey: env.TEMPEST_API_KEY,
    logLevel: env.TEMPEST_LOG_LEVEL,
    dataDir: env.TEMPEST_DATA_DIR,
    cacheDir: env.TEMPEST_CACHE_DIR,
    packsDir: env.TEMPEST_PACKS_DIR,
    webhookMaxBytes: env.TEMPEST_WEBHOOK_MAX_BYTES,
    configsDir: env.TEMPEST_CONFIGS_DIR,
    embedded: {
      postgresPort: env.TEMPEST_POSTGRES_PORT,
      temporalPort: env.TEMPEST_TEMPORAL_PORT,
      temporalUiPort: env.TEMPEST_TEMPORAL_UI_PORT,
    },
    datastore: { key: env.TEMPEST_DATASTORE_KEY, keyFile: env.TEMPEST_DATASTORE_KEY_FILE },
    sensors: { leaseSeconds: env.TEMPEST_SENSOR_LEASE_SECONDS },
    stream: { heartbeatSeconds: env.TEMPEST_STREAM_HEARTBEAT_SECONDS, clientBufferBytes: env.TEMPEST_STREAM_CLIENT_BUFFER_BYTES },
    packInstallRoots: env.TEMPEST_PACK_INSTALL_ROOTS,
    statementTimeoutSeconds: env.TEMPEST_STATEMENT_TIMEOUT_SECONDS,
    triggerInstanceLeaseSeconds: env.TEMPEST_TRIGGER_INSTANCE_LEASE_SECONDS,
    sshKnownHosts: env.TEMPEST_SSH_KNOWN_HOSTS,
  };
}

/** The database URL, or a clear error for the processes that cannot run without one. */
export function requireDatabaseUrl(config: TempestConfig): string {
  if (!config.databaseUrl) {
    throw new ConfigError(['DATABASE_URL: required (postgres://user:password@host:port/database); `npm start` sets it for the embedded Postgres']);
  }
  return config.databaseUrl;
}

export type ConfigVariable = keyof typeof configShape;
export const configVariables = Object.keys(configShape) as ConfigVariable[];
