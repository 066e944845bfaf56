import { Inject, Injectable, Optional, ServiceUnavailableException, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { requireDatabaseUrl, type TempestConfig } from '@tempest/config';
import { DatastoreService } from '@tempest/datastore';
import { listenToPostgres, RuleRepository, type PostgresListener } from '@tempest/db';
import { matchedTriggerParameters, WEBHOOK_TRIGGER } from '@tempest/domain';
import type { Logger } from '@tempest/logging';
import { CONFIG, LOGGER } from '../tokens';
import { toRuleDefinition } from './rule-mapping';
import { RuleEngine, type RuleDefinition, type TriggerEvent } from '@tempest/rules';

export const RULES_CHANNEL = 'tempest_rules';
const READY_TIMEOUT_MS = 10_000;

/**
 * This replica's rules engine: every rule, loaded at start, and kept current
 * by Postgres notifications (each rule change notifies `tempest_rules` in its
 * own transaction), so a change made on any replica applies here within
 * moments. After a lost connection it reloads everything, since the
 * notifications sent meanwhile are gone.
 */
@Injectable()
export class RuleCatalog implements OnApplicationBootstrap, OnApplicationShutdown {
  private engine = new RuleEngine();
  private rules = new Map<string, RuleDefinition>();
  /** Enabled webhook rules by url, built from `rules` when first needed after a change. */
  private webhooks?: Map<string, RuleDefinition[]>;
  private listener?: PostgresListener;
  /** Changes apply one at a time, in order, so a slow read never undoes a newer one. */
  private queue: Promise<void> = Promise.resolve();
  private loaded = false;
  private markLoaded!: () => void;
  private readonly ready = new Promise<void>((resolve) => (this.markLoaded = resolve));

  constructor(
    private readonly repository: RuleRepository,
    @Inject(CONFIG) private readonly config: TempestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() private readonly datastore?: DatastoreService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.databaseUrl) return;
    this.listener = listenToPostgres(requireDatabaseUrl(this.config), {
      applicationName: 'tempest-gateway-listener',
      channels: { [RULES_CHANNEL]: (ref) => void this.refresh(ref) },
      onConnected: () => this.reload(),
      onError: (error) => this.logger.warn({ err: error.message }, 'rules listener lost its Postgres connection; reconnecting'),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.close();
  }

  /** Resolves once the rules are loaded (waits at most a few seconds). */
  async whenLoaded(): Promise<void> {
    if (this.loaded) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ServiceUnavailableException('the rules are not loaded yet (is Postgres up?); try again')), READY_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async match(event: TriggerEvent): Promise<{ matched: RuleDefinition[]; errors: { rule: RuleDefinition; error: string }[] }> {
    await this.whenLoaded();
    return this.engine.match(event, this.datastore);
  }

  /** Enabled rules of the webhook `url`: a lookup, not a scan of every rule, on each webhook request. */
  async webhookRules(url: string): Promise<RuleDefinition[]> {
    await this.whenLoaded();
    this.webhooks ??= webhookIndex(this.rules.values());
    return this.webhooks.get(trimSlashes(url)) ?? [];
  }

  /** The urls enabled webhook rules listen on, sorted (StackStorm's GET /webhooks). */
  async webhookUrls(): Promise<string[]> {
    await this.whenLoaded();
    this.webhooks ??= webhookIndex(this.rules.values());
    return [...this.webhooks.keys()].sort();
  }

  /** Applies the rule's current state in Postgres (also called by this replica's own writes, to read them at once). */
  refresh(ref: string): Promise<void> {
    return this.enqueue(async () => {
      const row = await this.repository.getByRef(ref);
      this.webhooks = undefined;
      if (!row) {
        this.engine.remove(ref);
        this.rules.delete(ref);
        return;
      }
      this.apply(this.engine, this.rules, toRuleDefinition(row));
    });
  }

  /**
   * Applies every rule as Postgres has it now: after a lost connection, and
   * after this replica registered packs, so their rules serve at once.
   */
  reload(): Promise<void> {
    return this.enqueue(async () => {
      const engine = new RuleEngine();
      const rules = new Map<string, RuleDefinition>();
      for (const row of await this.repository.search()) this.apply(engine, rules, toRuleDefinition(row));
      this.engine = engine;
      this.rules = rules;
      this.webhooks = undefined;
      if (!this.loaded) this.logger.info({ rules: rules.size }, 'rules loaded');
      this.loaded = true;
      this.markLoaded();
    });
  }

  private apply(engine: RuleEngine, rules: Map<string, RuleDefinition>, rule: RuleDefinition): void {
    try {
      engine.upsert(forEngine(rule));
      rules.set(rule.ref, rule);
    } catch (error) {
      // Written before a stricter validation, or by hand: it cannot match anything.
      engine.remove(rule.ref);
      rules.delete(rule.ref);
      this.logger.error({ rule: rule.ref, err: (error as Error).message }, 'rule does not compile; it is ignored');
    }
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch((error: Error) => this.logger.error({ err: error.message }, 'could not refresh the rules'));
    return next;
  }
}

const trimSlashes = (url: string) => url.replace(/^\/+|\/+$/g, '');

function webhookIndex(rules: Iterable<RuleDefinition>): Map<string, RuleDefinition[]> {
  const index = new Map<string, RuleDefinition[]>();
  for (const rule of rules) {
    const url = rule.trigger.parameters.url;
    if (!rule.enabled || rule.trigger.type !== WEBHOOK_TRIGGER || typeof url !== 'string') continue;
    index.set(trimSlashes(url), [...(index.get(trimSlashes(url)) ?? []), rule]);
  }
  return index;
}

/** The rule as the engine matches it (a webhook's secret is not part of its trigger). */
function forEngine(rule: RuleDefinition): RuleDefinition {
  return { ...rule, trigger: { ...rule.trigger, parameters: matchedTriggerParameters(rule.trigger.type, rule.trigger.parameters) } };
}
