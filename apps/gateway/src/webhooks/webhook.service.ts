import type { IncomingHttpHeaders } from 'node:http';
import { Injectable, NotFoundException, Optional, UnauthorizedException } from '@nestjs/common';
import { DatastoreService } from '@tempest/datastore';
import { WEBHOOK_TRIGGER } from '@tempest/domain';
import { isTemplate } from '@tempest/templating';
import { API_KEY_HEADERS, apiKeyOf } from '../auth/api-key.guard';
import { ApiKeyService, type Principal } from '../auth/api-key.service';
import { IngestionService, type IngestionOutcome } from '../ingestion/ingestion.service';
import { RuleCatalog } from '../rules/rule-catalog';
import { ruleUser } from '../rules/rule-mapping';
import type { RuleDefinition } from '@tempest/rules';
import { SIGNATURE_HEADERS, verifySignature } from './webhook-signature';

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
    @Optional() private readonly datastore?: DatastoreService,
  ) {}

  async receive(url: string, request: WebhookRequest): Promise<IngestionOutcome> {
    const apiKey = apiKeyOf(request.headers);
    const principal = apiKey ? await this.apiKeys.authenticate(apiKey) : undefined;
    if (apiKey && !principal) throw new UnauthorizedException('invalid, disabled or expired API key or token');
    const rules = await this.catalog.webhookRules(url);
    if (rules.length === 0) throw new NotFoundException(`no webhook "${url}": no enabled rule has trigger ${WEBHOOK_TRIGGER} with url "${url}"`);
    if (!apiKey) await this.verify(rules, request);
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

  private async verify(rules: RuleDefinition[], request: WebhookRequest): Promise<void> {
    const secrets = (await Promise.all(rules.map((rule) => this.secretOf(rule)))).filter((s): s is string => s !== undefined && s !== '');
    if (secrets.length === 0) throw new UnauthorizedException('missing API key: send it in the X-Api-Key header (this webhook has no hmac_secret)');
    const signature = SIGNATURE_HEADERS.map((h) => request.headers[h]).find((v): v is string => typeof v === 'string');
    if (!signature) throw new UnauthorizedException('missing signature: send X-Tempest-Signature (or X-Hub-Signature-256): sha256=<hex HMAC-SHA256 of the body>, or an API key');
    const body = request.rawBody ?? Buffer.from(typeof request.body === 'string' ? request.body : '');
    if (!secrets.some((secret) => verifySignature(secret, body, signature))) throw new UnauthorizedException('the signature does not match the body');
  }

  /** The rule's hmac_secret: a literal, or a datastore key ("{{ st2kv.system.name }}"), read decrypted. */
  private async secretOf(rule: RuleDefinition): Promise<string | undefined> {
    const secret = rule.trigger.parameters.hmac_secret;
    if (typeof secret !== 'string') return undefined;
    if (!isTemplate(secret)) return secret;
    const reference = DATASTORE_REFERENCE.exec(secret.trim());
    if (!reference || !this.datastore) return undefined;
    const [, scope, key] = reference;
    return this.datastore.get(scope as 'system' | 'user', key, { user: ruleUser(rule), decrypt: true }).catch(() => undefined);
  }
}

/** An event an action sent with its token (ST2_ACTION_AUTH_TOKEN) is recorded as from that execution and its user. */
function senderContext(principal: Principal | undefined): Record<string, unknown> | undefined {
  return principal?.executionId ? { user: principal.user, execution: principal.executionId } : undefined;
}

function storedHeaders(headers: IncomingHttpHeaders): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && !CREDENTIAL_HEADERS.has(name.toLowerCase())));
}
