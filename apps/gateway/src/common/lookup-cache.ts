import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { requireDatabaseUrl, type TempestConfig } from '@tempest/config';
import { listenToPostgres, LOOKUP_CHANGES_CHANNEL, type PostgresListener } from '@tempest/db';
import type { Logger } from '@tempest/logging';
import { CONFIG, LOGGER } from '../tokens';

/** The tables whose changes Postgres tells (migration LookupChangeNotify). */
const LOOKUP_TABLES = ['api_keys', 'actions', 'pack_configs'] as const;
export type LookupTable = (typeof LOOKUP_TABLES)[number];

/** Entries kept per table: beyond it the table's lookups start over (a budget, not an LRU). */
const MAX_ENTRIES = 10_000;
/** Kept for a lookup that found nothing: most packs have no config, and a row created later is told like any change. */
const ABSENT = Symbol('absent');

/**
 * What every request looks up (its API key, the action it runs, the pack's
 * config), kept between requests and forgotten as soon as Postgres tells of a
 * change to the table, whichever process made it. Only while this replica
 * listens: before the listener is connected, and from the moment it loses
 * its connection until it is back, every lookup goes to Postgres.
 *
 * A lookup that began before a change was told is not kept (a generation
 * count per table), so a read racing a change never outlives it.
 */
@Injectable()
export class LookupCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly entries = new Map<LookupTable, Map<string, unknown>>();
  private readonly generations = new Map<LookupTable, number>();
  private listener?: PostgresListener;
  private listening = false;

  constructor(
    @Inject(CONFIG) private readonly config: TempestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.databaseUrl) return;
    this.listener = listenToPostgres(requireDatabaseUrl(this.config), {
      applicationName: 'tempest-gateway-listener',
      channels: { [LOOKUP_CHANGES_CHANNEL]: (table) => this.forget(table as LookupTable) },
      onConnected: () => {
        this.forgetAll();
        this.listening = true;
      },
      onError: (error) => {
        this.listening = false;
        this.forgetAll();
        this.logger.warn({ err: error.message }, 'lookup cache lost its Postgres listener; looking everything up until it is back');
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.listening = false;
    await this.listener?.close();
  }

  /** The value of `load()` (undefined: nothing found), kept under `key` until the table changes. */
  async get<T>(table: LookupTable, key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    if (!this.listening) return load();
    const kept = this.entries.get(table)?.get(key);
    if (kept !== undefined) return kept === ABSENT ? undefined : (kept as T);
    const generation = this.generations.get(table) ?? 0;
    const value = await load();
    if (this.listening && (this.generations.get(table) ?? 0) === generation) this.keep(table, key, value === undefined ? ABSENT : value);
    return value;
  }

  /** Forgets the table's entries now: a replica that changed the table itself need not wait for the notification. */
  forget(table: LookupTable): void {
    this.generations.set(table, (this.generations.get(table) ?? 0) + 1);
    this.entries.get(table)?.clear();
  }

  private forgetAll(): void {
    for (const table of LOOKUP_TABLES) this.forget(table);
  }

  private keep(table: LookupTable, key: string, value: unknown): void {
    let kept = this.entries.get(table);
    if (!kept) this.entries.set(table, (kept = new Map()));
    if (kept.size >= MAX_ENTRIES) kept.clear();
    kept.set(key, value);
  }
}
