import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import type { TempestConfig } from '@tempest/config';
import { ActionTokenRepository, ApiKeyRepository, type ApiKey } from '@tempest/db';
import type { Logger } from '@tempest/logging';
import { LookupCache } from '../common/lookup-cache';
import { CONFIG, LOGGER } from '../tokens';
import type { ApiKeyCreateDto, ApiKeyCreatedDto, ApiKeyResponseDto, ApiKeyUpdateDto } from './api-key.dto';

export interface Principal {
  user: string;
  /** The API key used, unless it was an execution's token. */
  apiKeyId?: string;
  /** The execution whose token (ST2_ACTION_AUTH_TOKEN) was used: the request acts as that execution's user. */
  executionId?: string;
}

/** How fresh last_used_at is kept. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

@Injectable()
export class ApiKeyService implements OnApplicationBootstrap {
  /** Lookups under way, by key hash: requests with the same key at the same moment share one (a storm of webhooks is one sender). */
  private readonly lookups = new Map<string, Promise<Principal | undefined>>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly actionTokens: ActionTokenRepository,
    @Inject(CONFIG) private readonly config: TempestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly lookupCache: LookupCache,
  ) {}

  /** Seeds (or rotates) the admin key from TEMPEST_ADMIN_API_KEY. */
  async onApplicationBootstrap(): Promise<void> {
    const key = this.config.adminApiKey;
    if (!key) return;
    await this.keys.upsert({ name: 'admin', keyHash: hashApiKey(key), keyPrefix: key.slice(0, 8), user: 'admin' });
    this.logger.info({ keyPrefix: key.slice(0, 8) }, 'admin API key seeded');
  }

  async getAll(): Promise<ApiKeyResponseDto[]> {
    return (await this.keys.search()).map((key) => this.map(key));
  }

  /** A new key for `user` (the caller's when not given), answered once with the key; only its hash is kept. */
  async create(input: ApiKeyCreateDto, caller: string): Promise<ApiKeyCreatedDto> {
    const key = newApiKey();
    const created = await this.keys.create({ name: `key-${randomUUID()}`, keyHash: hashApiKey(key), keyPrefix: key.slice(0, 8), user: input.user ?? caller, metadata: input.metadata ?? {}, enabled: input.enabled ?? true });
    this.logger.info({ keyPrefix: created.key_prefix, user: created.user }, 'API key created');
    return { ...this.map(created), key };
  }

  /** By id, or by the key itself (as StackStorm's `st2 apikey get <key or id>`). */
  async get(keyOrId: string): Promise<ApiKeyResponseDto> {
    const found = (await this.keys.getById(keyOrId)) ?? (await this.keys.getByHash(hashApiKey(keyOrId)));
    if (!found) throw notFound(keyOrId);
    return this.map(found);
  }

  async update(id: string, change: ApiKeyUpdateDto): Promise<ApiKeyResponseDto> {
    const updated = await this.keys.update(id, { enabled: change.enabled, metadata: change.metadata });
    if (!updated) throw notFound(id);
    // This replica refuses a disabled key at once; the others when Postgres tells them (LookupCache).
    this.lookupCache.forget('api_keys');
    return this.map(updated);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.keys.delete(id))) throw notFound(id);
    this.lookupCache.forget('api_keys');
  }

  /**
   * The key's owner, or undefined for an unknown or disabled key. A running
   * execution's token stands for the execution's user until the execution
   * ends (the worker revokes it) or the token expires. A request arriving
   * while a lookup of the same key is under way shares that lookup: its
   * answer is at most one round trip old, never cached beyond it, and a
   * burst from one sender costs one query per round trip, not per request.
   */
  authenticate(key: string): Promise<Principal | undefined> {
    const hash = hashApiKey(key);
    const under = this.lookups.get(hash);
    if (under) return under;
    const lookup = this.lookup(hash).finally(() => this.lookups.delete(hash));
    this.lookups.set(hash, lookup);
    return lookup;
  }

  private async lookup(hash: string): Promise<Principal | undefined> {
    const found = await this.keys.getByHash(hash);
    if (!found) {
      const token = await this.actionTokens.getValid(hash);
      return token ? { user: token.user, executionId: token.execution_id } : undefined;
    }
    if (!found.enabled) return undefined;
    // Recording every request would put a write on the hot path of every call.
    const now = new Date();
    if (!found.last_used_at || now.getTime() - found.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) await this.keys.touch(found.id, now);
    return { user: found.user, apiKeyId: found.id };
  }

  private map(key: ApiKey): ApiKeyResponseDto {
    return {
      id: key.id,
      uid: `api_key:${key.id}`,
      name: key.name,
      user: key.user,
      key_prefix: key.key_prefix,
      metadata: key.metadata,
      enabled: key.enabled,
      created_at: key.created_at.toISOString(),
      last_used_at: key.last_used_at?.toISOString() ?? null,
    };
  }
}

/** As the launcher makes the admin key: a prefix to recognise it by, and 256 random bits. */
function newApiKey(): string {
  return `tpst_${randomBytes(32).toString('base64url')}`;
}

function notFound(keyOrId: string): NotFoundException {
  // A key given in place of an id is not echoed back.
  const named = keyOrId.startsWith('tpst_') ? `${keyOrId.slice(0, 8)}…` : keyOrId;
  return new NotFoundException(`no API key "${named}"`);
}
