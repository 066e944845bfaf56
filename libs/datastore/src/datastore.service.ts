import type { KeyValuePairRepository, KeyValuePairRow } from '@tempest/db';
import { KeyValueCipher } from './cipher';
import { KeyValueDecryptError, KeyValueInputError } from './errors';
import { KEY_VALUE_TRIGGERS, type KeyValueChangeEvent, type KeyValueChangeListener, type KeyValuePairObject } from './events';
import { FULL_SCOPE_NAMES, type KeyValueScope } from './scope';

/** Reads the datastore for st2kv.system.x / st2kv.user.x in templates (the rules contract). */
export interface KeyValueLookup {
  get(scope: 'system' | 'user', key: string, options: { user?: string; decrypt: boolean }): Promise<string | undefined>;
}

/** One key; `user` is the owner of a user-scope key. */
export interface KeyValueRef {
  scope: KeyValueScope;
  name: string;
  user?: string;
}

export interface KeyValueEntry {
  name: string;
  scope: KeyValueScope;
  user?: string;
  secret: boolean;
  /** The value; for a secret, the plaintext only when read with `decrypt`. */
  value?: string;
  /** A secret's ciphertext (base64), what st2kv gives a template without decrypt_kv. */
  encryptedValue?: string;
  expireAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface KeyValueWrite {
  value: string;
  secret?: boolean;
  /** Seconds until the key expires; none: never. */
  ttl?: number;
}

export interface DatastoreOptions {
  /** Where a failing change listener is reported; without it, the failure is thrown to the writer. */
  onListenerError?(error: unknown, event: KeyValueChangeEvent): void;
}

const NAME = /^[\w.:@-]{1,255}$/;
/** About a century: for longer, set no TTL. */
export const MAX_TTL_SECONDS = 100 * 365 * 24 * 3600;

export const NO_DATASTORE_KEY = 'secrets need the datastore key: set TEMPEST_DATASTORE_KEY or TEMPEST_DATASTORE_KEY_FILE (npm start generates one in .data/datastore-key)';

/**
 * StackStorm's key-value datastore: system keys and per-user keys, secrets
 * encrypted at rest (AES-256-GCM, see KeyValueCipher), optional TTL. Secrets
 * leave here in clear only when asked for with `decrypt`; who may ask is the
 * caller's decision. Every change is offered to the `onChange` listeners,
 * shaped as StackStorm's key_value_pair triggers.
 */
export class DatastoreService implements KeyValueLookup {
  private readonly cipher?: KeyValueCipher;
  private readonly listeners = new Set<KeyValueChangeListener>();

  constructor(
    private readonly pairs: KeyValuePairRepository,
    key: Buffer | undefined,
    private readonly options: DatastoreOptions = {},
  ) {
    if (key) this.cipher = new KeyValueCipher(key);
  }

  /** Whether a datastore key is configured, so secrets can be stored. */
  get secretsEnabled(): boolean {
    return this.cipher !== undefined;
  }

  /** Calls `listener` after every committed change; returns the function that stops it. */
  onChange(listener: KeyValueChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The contract's lookup: a secret without `decrypt` gives its ciphertext, as st2kv does in StackStorm. */
  async get(scope: KeyValueScope, key: string, options: { user?: string; decrypt: boolean }): Promise<string | undefined> {
    if (scope === 'user' && !options.user) throw new KeyValueInputError(`st2kv.user.${key}: user-scope keys need the acting user`);
    const entry = await this.find({ scope, name: key, user: options.user }, { decrypt: options.decrypt });
    return entry?.value ?? entry?.encryptedValue;
  }

  /** Live keys of `scope` (`all`: system keys and the user's), by name. */
  async list(filter: { scope: KeyValueScope | 'all'; user?: string; prefix?: string; decrypt?: boolean }): Promise<KeyValueEntry[]> {
    const owners: { scope: KeyValueScope; user: string }[] = [];
    if (filter.scope !== 'user') owners.push({ scope: 'system', user: '' });
    if (filter.scope !== 'system') owners.push({ scope: 'user', user: ownerOf('user', filter.user) });
    const rows = await this.pairs.search({ owners, prefix: filter.prefix });
    return rows.map((row) => this.toEntry(row, filter.decrypt ?? false));
  }

  async find(ref: KeyValueRef, options: { decrypt: boolean }): Promise<KeyValueEntry | undefined> {
    const row = await this.pairs.get(keyOf(ref));
    return row && this.toEntry(row, options.decrypt);
  }

  /** Creates or replaces the key (value, secrecy and TTL all as given); answers it without decrypting. */
  async set(ref: KeyValueRef, write: KeyValueWrite): Promise<KeyValueEntry> {
    const key = keyOf(ref);
    if (typeof write.value !== 'string') throw new KeyValueInputError('value must be a string (StackStorm stores text; serialise objects as JSON)');
    if (write.ttl !== undefined && (!Number.isInteger(write.ttl) || write.ttl < 1 || write.ttl > MAX_TTL_SECONDS)) {
      throw new KeyValueInputError(`ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}`);
    }
    const secret = write.secret ?? false;
    if (secret && !this.cipher) throw new KeyValueInputError(`${ref.name}: ${NO_DATASTORE_KEY}`);
    const { previous, current } = await this.pairs.upsert({
      ...key,
      value: secret ? null : write.value,
      secret,
      encryptedValue: secret ? this.cipher!.encrypt(write.value, key) : null,
      ttlSeconds: write.ttl,
    });
    const events: KeyValueChangeEvent[] = [];
    if (!previous) {
      events.push({ trigger: KEY_VALUE_TRIGGERS.create, payload: { object: this.toObject(current) } });
    } else {
      events.push({ trigger: KEY_VALUE_TRIGGERS.update, payload: { object: this.toObject(current) } });
      if (this.changedValue(previous, write.value, secret)) {
        events.push({ trigger: KEY_VALUE_TRIGGERS.valueChange, payload: { old_object: this.toObject(previous), new_object: this.toObject(current) } });
      }
    }
    await this.emit(events);
    return this.toEntry(current, false);
  }

  /** Deletes the key; undefined when there was none (or it had expired). */
  async delete(ref: KeyValueRef): Promise<KeyValueEntry | undefined> {
    const row = await this.pairs.delete(keyOf(ref));
    if (!row) return undefined;
    await this.emit([{ trigger: KEY_VALUE_TRIGGERS.delete, payload: { object: this.toObject(row) } }]);
    return this.toEntry(row, false);
  }

  /** Removes expired keys, which are already never returned; for housekeeping. */
  purgeExpired(): Promise<number> {
    return this.pairs.purgeExpired();
  }

  private toEntry(row: KeyValuePairRow, decrypt: boolean): KeyValueEntry {
    const entry: KeyValueEntry = {
      name: row.name,
      scope: row.scope,
      user: row.scope === 'user' ? row.user : undefined,
      secret: row.secret,
      expireAt: row.expire_at ?? undefined,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
    if (!row.secret) entry.value = row.value ?? '';
    else if (decrypt) entry.value = this.decrypt(row);
    else entry.encryptedValue = row.encrypted_value!.toString('base64');
    return entry;
  }

  private decrypt(row: KeyValuePairRow): string {
    if (!this.cipher) throw new KeyValueInputError(`${row.name}: ${NO_DATASTORE_KEY}`);
    return this.cipher.decrypt(row.encrypted_value!, { scope: row.scope, user: row.user, name: row.name });
  }

  /** Whether the plaintext (or its secrecy) changed; a secret that no longer decrypts counts as changed. */
  private changedValue(previous: KeyValuePairRow, value: string, secret: boolean): boolean {
    if (previous.secret !== secret) return true;
    if (!secret) return previous.value !== value;
    try {
      return this.decrypt(previous) !== value;
    } catch (error) {
      if (error instanceof KeyValueDecryptError) return true;
      throw error;
    }
  }

  private toObject(row: KeyValuePairRow): KeyValuePairObject {
    const scope = FULL_SCOPE_NAMES[row.scope];
    return {
      uid: `key_value_pair:${scope}:${row.scope === 'user' ? `${row.user}:` : ''}${row.name}`,
      name: row.name,
      value: row.secret ? row.encrypted_value!.toString('base64') : (row.value ?? ''),
      secret: row.secret,
      encrypted: row.secret,
      scope,
      ...(row.scope === 'user' ? { user: row.user } : {}),
      ...(row.expire_at ? { expire_timestamp: row.expire_at.toISOString() } : {}),
    };
  }

  private async emit(events: KeyValueChangeEvent[]): Promise<void> {
    for (const event of events) {
      const results = await Promise.allSettled([...this.listeners].map(async (listener) => listener(event)));
      for (const result of results) {
        if (result.status === 'fulfilled') continue;
        if (!this.options.onListenerError) throw result.reason;
        this.options.onListenerError(result.reason, event);
      }
    }
  }
}

function ownerOf(scope: KeyValueScope, user: string | undefined): string {
  if (scope === 'system') return '';
  if (!user) throw new KeyValueInputError('user-scope keys need a user');
  return user;
}

function keyOf(ref: KeyValueRef): { scope: KeyValueScope; user: string; name: string } {
  if (!NAME.test(ref.name)) {
    throw new KeyValueInputError(`key name "${ref.name}" is invalid: use 1 to 255 letters, digits and . _ - : @`);
  }
  return { scope: ref.scope, user: ownerOf(ref.scope, ref.user), name: ref.name };
}
