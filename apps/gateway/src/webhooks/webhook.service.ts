import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable, NotFoundException, Optional, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { DatastoreService } from '@tempest/datastore';
import type { Logger } from '@tempest/logging';
import { WEBHOOK_TRIGGER } from '@tempest/domain';
import { isTemplate } from '@tempest/templating';
import { API_KEY_HEADERS, apiKeyOf } from '../auth/api-key.guard';
import { ApiKeyService, type Principal } from '../auth/api-key.service';
import { IngestionService, type IngestionOutcome } from '../ingestion/ingestion.service';
import { RuleCatalog } from '../rules/rule-catalog';
import { ruleUser } from '../rules/rule-mapping';
import type { RuleDefinition } from '@tempest/rules';
import { LOGGER } from '../tokens';
import { SIGNATURE_HEADERS, verifySignature } from './webhook-signature';
import type { WebhookResponseDto } from './webhook.dto';

export interface WebhookRequest {
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The body's bytes as sent, which a signature covers. */
  rawBody?: Buffer;
}

/** Headers that carry credentials: never stored in the trigger instance. */
const CREDENTIAL_HEADERS = new Set<string>([...API_KEY_HEADERS, ...SIGNATURE_HEADERS, 'authorization', 'proxy-authorization', 'cookie']);
export const TRACE_TAG_HEADER = 'st2-trace-tag';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** The one answer to a caller with no credentials, whether or not the hook exists, so hooks cannot be probed. */
const MISSING_CREDENTIALS = 'missing API key or signature: send an API key in the X-Api-Key header, or, for a hook whose rule sets hmac_secret, X-Tempest-Signature: sha256=<hex HMAC-SHA256 of the body>';
const SIGNATURE_MISMATCH = 'the signature does not match the body';
const DATASTORE_REFERENCE = /^\{\{\s*st2kv\.(system|user)\.([\w.:@-]+)(\s*\|\s*decrypt_kv)?\s*\}\}$/;

/**
 * Webhooks: `POST /webhooks/{url}` for the rules on core.st2.webhook with
 * that url. The caller proves itself with an API key, or, when a rule of the
 * hook sets `hmac_secret`, with the body's HMAC signature, for senders that
 * cannot add a custom header but can sign (GitHub, many monitoring tools).
 */
@Injectable()
export class WebhookService {
  constructor(
    private readonly catalog: RuleCatalog,
    private readonly ingestion: IngestionService,
    private readonly apiKeys: ApiKeyService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() private readonly datastore?: DatastoreService,
  ) {}

  /** The webhooks in StackStorm's shape: one core.st2.webhook trigger per url that enabled rules listen on. */
  async list(): Promise<WebhookResponseDto[]> {
    return (await this.catalog.webhookUrls()).map((url) => ({ type: WEBHOOK_TRIGGER, parameters: { url }, description: `POST /api/v1/webhooks/${url}` }));
  }

  /**
   * Authenticates before saying whether the hook exists: without a valid
   * key, an unknown hook is answered as a known one whose signature fails.
   */
  async receive(url: string, request: WebhookRequest): Promise<IngestionOutcome> {
    const apiKey = apiKeyOf(request.headers);
    const principal = apiKey ? await this.apiKeys.authenticate(apiKey) : undefined;
    if (apiKey && !principal) throw new UnauthorizedException('invalid, disabled or expired API key or token');
    const signature = SIGNATURE_HEADERS.map((h) => request.headers[h]).find((v): v is string => typeof v === 'string');
    if (!apiKey && !signature) throw new UnauthorizedException(MISSING_CREDENTIALS);
    const rules = await this.catalog.webhookRules(url);
    if (!apiKey) await this.verify(rules, request, signature!);
    if (rules.length === 0) throw new NotFoundException(`no webhook "${url}": no enabled rule has trigger ${WEBHOOK_TRIGGER} with url "${url}"`);
    return this.ingestion.ingest({
      trigger: WEBHOOK_TRIGGER,
      parameters: { url: url.replace(/^\/+|\/+$/g, '') },
      payload: { headers: storedHeaders(request.headers), body: request.body ?? null },
      ...this.eventOptions(request.headers),
      source: 'webhook',
      context: senderContext(principal),
    });
  }

  /** StackStorm's generic webhook, `{trigger, payload}`; the API key or action token was checked by the guard. */
  dispatch(body: { trigger: string; payload: Record<string, unknown>; trace_tag?: string }, headers: IncomingHttpHeaders, principal?: Principal): Promise<IngestionOutcome> {
    const options = this.eventOptions(headers);
    return this.ingestion.ingest({ trigger: body.trigger, payload: body.payload, ...options, traceTag: body.trace_tag ?? options.traceTag, source: 'webhook', context: senderContext(principal) });
  }

  private eventOptions(headers: IncomingHttpHeaders): { traceTag?: string; idempotencyKey?: string } {
    const single = (name: string) => (typeof headers[name] === 'string' && headers[name] !== '' ? (headers[name] as string) : undefined);
    return { traceTag: single(TRACE_TAG_HEADER), idempotencyKey: single(IDEMPOTENCY_KEY_HEADER) };
  }

  /**
   * Accepts a signature made with the secret of any of the hook's rules. A
   * secret the datastore could not give is an outage, not the caller's fault:
   * 503 when no other secret matched.
   */
  private async verify(rules: RuleDefinition[], request: WebhookRequest, signature: string): Promise<void> {
    const secrets = await Promise.all(rules.map((rule) => this.secretOf(rule)));
    const body = request.rawBody ?? Buffer.from(typeof request.body === 'string' ? request.body : '');
    if (secrets.some((s) => typeof s === 'string' && s !== '' && verifySignature(s, body, signature))) return;
    const unreadable = secrets.find((s): s is { unreadable: string } => typeof s === 'object');
    if (unreadable) throw new ServiceUnavailableException(`the datastore could not be read for this hook's hmac_secret (${unreadable.unreadable}); the signature was not checked, try again`);
    throw new UnauthorizedException(SIGNATURE_MISMATCH);
  }

  /** The rule's hmac_secret: a literal, or a datastore key ("{{ st2kv.system.name }}"), read decrypted; `unreadable` names the key the datastore failed to give. */
  private async secretOf(rule: RuleDefinition): Promise<string | { unreadable: string } | undefined> {
    const secret = rule.trigger.parameters.hmac_secret;
    if (typeof secret !== 'string') return undefined;
    if (!isTemplate(secret)) return secret;
    const reference = DATASTORE_REFERENCE.exec(secret.trim());
    if (!reference || !this.datastore) return undefined;
    const [, scope, key] = reference;
    return this.datastore.get(scope as 'system' | 'user', key, { user: ruleUser(rule), decrypt: true }).catch((error: unknown) => {
      const unreadable = `st2kv.${scope}.${key}`;
      this.logger.error({ err: error, rule: rule.ref, key: unreadable }, 'webhook hmac_secret unreadable from the datastore');
      return { unreadable };
    });
  }
}

/** An event an action sent with its token (ST2_ACTION_AUTH_TOKEN) is recorded as from that execution and its user. */
function senderContext(principal: Principal | undefined): Record<string, unknown> | undefined {
  return principal?.executionId ? { user: principal.user, execution: principal.executionId } : undefined;
}

function storedHeaders(headers: IncomingHttpHeaders): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && !CREDENTIAL_HEADERS.has(name.toLowerCase())));
}
