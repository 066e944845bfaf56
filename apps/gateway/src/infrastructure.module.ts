import { Global, Inject, Module, OnApplicationShutdown, type DynamicModule } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { TempestConfig } from '@tempest/config';
import { requireDatabaseUrl } from '@tempest/config';
import { ActionAliasRepository, ActionRepository, ActionTokenRepository, ApiKeyRepository, createDatabase, ExecutionRepository, PackConfigRepository, PackRepository, PolicyRepository, type Database } from '@tempest/db';
import { RuleEnforcementRepository, RuleRepository, TraceRepository, TriggerInstanceRepository, TriggerTypeRepository } from '@tempest/db';
import type { Logger } from '@tempest/logging';
import { temporalConnectionOptions } from '@tempest/temporal';
import { DatastoreService, KeyValueCipher, loadDatastoreKey } from '@tempest/datastore';
import { CachedActionRepository, CachedApiKeyRepository, CachedPackConfigRepository } from './common/cached-repositories';
import { LookupCache } from './common/lookup-cache';
import { datastoreProvider } from './keys/datastore.provider';
import { CONFIG, DATABASE, LOGGER, SECRET_CIPHER, TEMPORAL_CLIENT } from './tokens';

/** One instance of each repository, shared by every module. */
const REPOSITORIES = [PackRepository, ActionTokenRepository, ActionAliasRepository, PolicyRepository];
/** Repositories whose lookups by key every request makes: cached (LookupCache). */
const CACHED_REPOSITORIES = [ApiKeyRepository, ActionRepository, PackConfigRepository];
const INGESTION_REPOSITORIES = [TriggerTypeRepository, TriggerInstanceRepository, RuleRepository, RuleEnforcementRepository, TraceRepository];

/** What SECRET_CIPHER provides. */
export interface SecretCiphers {
  cipher?: KeyValueCipher;
}

function secretCipher(config: TempestConfig): KeyValueCipher | undefined {
  const key = loadDatastoreKey(config);
  return key ? new KeyValueCipher(key) : undefined;
}

/**
 * Config, logger, Postgres, Temporal and the repositories for every other module. The Temporal
 * connection is lazy so the gateway starts (and reports it in /health) while
 * Temporal is still coming up or down.
 */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  static forRoot(config: TempestConfig, logger: Logger): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        {
          provide: DATABASE,
          useFactory: () => createDatabase(requireDatabaseUrl(config), { applicationName: 'tempest-gateway', statementTimeoutSeconds: config.statementTimeoutSeconds, logger }),
        },
        {
          provide: TEMPORAL_CLIENT,
          useFactory: async () => {
            const connection = Connection.lazy(await temporalConnectionOptions(config.temporal));
            return new Client({ connection, namespace: config.temporal.namespace });
          },
        },
        datastoreProvider(config, logger),
        ...[...REPOSITORIES, ...INGESTION_REPOSITORIES].map((Repository) => ({ provide: Repository, useFactory: (db: Database) => new Repository(db), inject: [DATABASE] })),
        // Secret parameters and packs' configs are sealed at rest with the datastore key.
        { provide: SECRET_CIPHER, useFactory: (): SecretCiphers => ({ cipher: secretCipher(config) }) },
        { provide: ExecutionRepository, useFactory: (db: Database, { cipher }: SecretCiphers) => new ExecutionRepository(db, cipher), inject: [DATABASE, SECRET_CIPHER] },
        LookupCache,
        { provide: ApiKeyRepository, useFactory: (db: Database, lookups: LookupCache) => new CachedApiKeyRepository(db, lookups), inject: [DATABASE, LookupCache] },
        { provide: ActionRepository, useFactory: (db: Database, lookups: LookupCache) => new CachedActionRepository(db, lookups), inject: [DATABASE, LookupCache] },
        {
          provide: PackConfigRepository,
          useFactory: (db: Database, { cipher }: SecretCiphers, lookups: LookupCache) => new CachedPackConfigRepository(db, cipher, lookups),
          inject: [DATABASE, SECRET_CIPHER, LookupCache],
        },
      ],
      exports: [CONFIG, LOGGER, DATABASE, TEMPORAL_CLIENT, SECRET_CIPHER, DatastoreService, ExecutionRepository, LookupCache, ...CACHED_REPOSITORIES, ...REPOSITORIES, ...INGESTION_REPOSITORIES],
    };
  }

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    await Promise.allSettled([this.db.destroy(), this.temporal.connection.close()]);
    this.logger.info({ signal }, 'gateway stopped');
  }
}
