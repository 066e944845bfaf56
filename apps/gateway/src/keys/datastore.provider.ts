import type { FactoryProvider } from '@nestjs/common';
import type { TempestConfig } from '@tempest/config';
import { DatastoreService, loadDatastoreKey } from '@tempest/datastore';
import { KeyValuePairRepository, type Database } from '@tempest/db';
import type { Logger } from '@tempest/logging';
import { DATABASE } from '../tokens';

/**
 * The one DatastoreService of the gateway (the keys API, and st2kv lookups for
 * rules). Reading the key here makes a bad TEMPEST_DATASTORE_KEY_FILE stop start-up.
 */
export function datastoreProvider(config: TempestConfig, logger: Logger): FactoryProvider<DatastoreService> {
  return {
    provide: DatastoreService,
    inject: [DATABASE],
    useFactory: (db: Database) => {
      const key = loadDatastoreKey(config);
      if (!key) logger.warn('no datastore key (TEMPEST_DATASTORE_KEY or TEMPEST_DATASTORE_KEY_FILE): secret keys will be refused');
      return new DatastoreService(new KeyValuePairRepository(db), key, {
        onListenerError: (err, event) => logger.error({ err, trigger: event.trigger }, 'a datastore change listener failed'),
      });
    },
  };
}
