import { ActionRepository, ApiKeyRepository, PackConfigRepository, type Action, type ApiKey, type Database, type SecretCipher, type StoredPackConfig } from '@tempest/db';
import type { LookupCache } from './lookup-cache';

// What each request reads by key (its API key, its action, the pack's config) comes from the
// lookup cache; the rest of each repository is unchanged. What they return is shared: read it, never change it.

export class CachedApiKeyRepository extends ApiKeyRepository {
  constructor(
    db: Database,
    private readonly lookups: LookupCache,
  ) {
    super(db);
  }

  override getByHash(keyHash: string): Promise<ApiKey | undefined> {
    return this.lookups.get('api_keys', keyHash, () => super.getByHash(keyHash));
  }
}

export class CachedActionRepository extends ActionRepository {
  constructor(
    db: Database,
    private readonly lookups: LookupCache,
  ) {
    super(db);
  }

  override getByRef(ref: string): Promise<Action | undefined> {
    return this.lookups.get('actions', ref, () => super.getByRef(ref));
  }

  override async setEnabled(ref: string, enabled: boolean): Promise<Action | undefined> {
    try {
      return await super.setEnabled(ref, enabled);
    } finally {
      this.lookups.forget('actions');
    }
  }
}

export class CachedPackConfigRepository extends PackConfigRepository {
  constructor(
    db: Database,
    cipher: SecretCipher | undefined,
    private readonly lookups: LookupCache,
  ) {
    super(db, cipher);
  }

  override getByPack(pack: string): Promise<StoredPackConfig | undefined> {
    return this.lookups.get('pack_configs', pack, () => super.getByPack(pack));
  }
}
