import { DECRYPT_KV_HOOK, parseTemplate, renderTemplate, TemplateError, templateReferences, type RenderOptions, type TemplateNode } from '@tempest/templating';
import type { KeyValueLookup, KeyValueScope } from './rule-definition';

// Templates in rules (criteria patterns, action parameters) read `st2kv`,
// whose values live in the datastore behind an asynchronous lookup, while
// rendering is synchronous. So the keys a template names literally
// (`st2kv.system.a.b`, `st2kv.user['x']`) are fetched before rendering, and a
// key computed while rendering (`st2kv.system[trigger.host]`) is fetched
// after a first pass, which is then rendered again.

interface KeyRef {
  scope: KeyValueScope;
  key: string;
}

/** A template parsed once, with the datastore keys it names. */
export interface RuleTemplate {
  readonly source: string;
  /** Whether it reads st2kv or decrypts at all; if not, it renders synchronously. */
  readonly usesKv: boolean;
  readonly keys: readonly KeyRef[];
  /** Keys given straight to decrypt_kv, fetched decrypted up front. */
  readonly decrypted: readonly KeyRef[];
  /** For a template that is only `{{ trigger.a.b }}`: the variable and names it reads, without rendering. */
  readonly lookup?: { variable: string; names: (string | number)[] };
}

const SCOPES: readonly string[] = ['system', 'user'];
/** Rendering passes for keys computed while rendering; each pass fetches what the last one asked for. */
const MAX_PASSES = 5;
/** Distinct datastore reads one event may make, so a template cannot loop over the datastore. */
const MAX_KEYS = 1000;

function isNode(value: unknown): value is TemplateNode {
  return typeof value === 'object' && value !== null && typeof (value as TemplateNode).typename === 'string';
}

/** `st2kv.<scope>.<key...>` of a lookup made of literal names only. */
function kvChain(node: TemplateNode): KeyRef | undefined {
  const names: string[] = [];
  let current: unknown = node;
  while (isNode(current) && current.typename === 'LookupVal') {
    const val = current['val'];
    if (!isNode(val) || val.typename !== 'Literal' || (typeof val.value !== 'string' && typeof val.value !== 'number')) return undefined;
    names.unshift(String(val.value));
    current = current['target'];
  }
  if (!isNode(current) || current.typename !== 'Symbol' || current.value !== 'st2kv') return undefined;
  if (names.length < 2 || !SCOPES.includes(names[0])) return undefined;
  return { scope: names[0] as KeyValueScope, key: names.slice(1).join('.') };
}

/** `{{ name.a['b'][0] }}` alone (blank text around it allowed): the variable and the names it looks up. */
function plainLookup(ast: TemplateNode): RuleTemplate['lookup'] {
  const parts = (ast.children ?? []).flatMap((node) => (node.typename === 'Output' ? (node.children ?? []) : [node]));
  const expressions = parts.filter((part) => !(part.typename === 'TemplateData' && String(part.value).trim() === ''));
  if (expressions.length !== 1) return undefined;
  const names: (string | number)[] = [];
  let current: unknown = expressions[0];
  while (isNode(current) && current.typename === 'LookupVal') {
    const val = current['val'];
    if (!isNode(val) || val.typename !== 'Literal' || (typeof val.value !== 'string' && typeof val.value !== 'number')) return undefined;
    names.unshift(val.value);
    current = current['target'];
  }
  return isNode(current) && current.typename === 'Symbol' && (current.value === 'trigger' || current.value === 'item') ? { variable: current.value, names } : undefined;
}

/** What `{{ trigger.a.b }}` gives: the value found, as Jinja's lookups find it in JSON data. */
function lookUp(template: RuleTemplate, context: Record<string, unknown>): unknown {
  const { variable, names } = template.lookup!;
  let value = context[variable];
  for (const name of names) {
    if (Array.isArray(value) && typeof name === 'number') value = value[name];
    else if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, name)) value = (value as Record<string, unknown>)[name];
    else value = undefined;
    if (value === undefined) break;
  }
  if (value === undefined) throw new TemplateError(`${template.source.trim()} is undefined`);
  return value;
}

function syntaxError(error: unknown): TemplateError {
  const { message, lineno, colno } = error as { message?: string; lineno?: number; colno?: number };
  const where = typeof lineno === 'number' ? ` (line ${lineno}, column ${colno})` : '';
  return new TemplateError(`syntax error: ${String(message ?? error).replace(/^.*\n\s*/s, '')}${where}`);
}

/** Parses a template once; throws TemplateError for a syntax error. */
export function compileTemplate(source: string): RuleTemplate {
  let ast: TemplateNode;
  try {
    ast = parseTemplate(source);
  } catch (error) {
    throw syntaxError(error);
  }
  const keys: KeyRef[] = [];
  const decrypted: KeyRef[] = [];
  let decrypts = false;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isNode(node)) return;
    if (node.typename === 'LookupVal') {
      const ref = kvChain(node);
      if (ref) return void keys.push(ref);
    }
    if ((node.typename === 'Filter' || node.typename === 'FilterAsync') && (node['name'] as TemplateNode | undefined)?.value === 'decrypt_kv') {
      decrypts = true;
      const operand = (node['args'] as TemplateNode | undefined)?.children?.[0];
      const ref = isNode(operand) ? kvChain(operand) : undefined;
      if (ref) decrypted.push(ref);
    }
    for (const field of node.fields) visit(node[field]);
  };
  visit(ast);
  return { source, usesKv: decrypts || templateReferences(ast).names.includes('st2kv'), keys, decrypted, lookup: plainLookup(ast) };
}

const NODE = Symbol('st2kv key');
const SCOPE = Symbol('st2kv scope');
const cacheKey = (scope: KeyValueScope, key: string, decrypt: boolean): string => `${scope}\u0000${decrypt ? 1 : 0}\u0000${key}`;

/**
 * The datastore as one event's templates see it: every value read once,
 * whichever rule or parameter reads it. Missing keys read as '' (StackStorm).
 */
export class KeyValueSession {
  private readonly values = new Map<string, string>();
  /** Every key asked for, fetched or not. */
  private readonly requests = new Map<string, { scope: KeyValueScope; key: string; decrypt: boolean }>();
  private readonly inflight = new Map<string, Promise<void>>();
  /** Keys the current (synchronous) rendering pass needed and did not have. */
  private misses = new Set<string>();
  /** What st2kv gave a template (a secret's ciphertext) → its key, for decrypt_kv. */
  private readonly readAs = new Map<string, KeyRef>();
  /** How often decrypt_kv ran: a value rendered while it did carries a secret. */
  decryptions = 0;
  /** The plain texts decrypt_kv gave, so that no message quotes them. */
  readonly decryptedValues = new Set<string>();

  constructor(
    private readonly lookup: KeyValueLookup | undefined,
    private readonly user: string | undefined,
    /** The scopes templates may read: criteria get only system, as in StackStorm. */
    private readonly scopes: readonly KeyValueScope[],
  ) {}

  /** A value already fetched; otherwise '' for now, and the key is fetched before the next pass. */
  private read(scope: KeyValueScope, key: string, decrypt: boolean): string {
    if (!this.scopes.includes(scope)) throw new Error(`st2kv.${scope} is not available here (StackStorm gives criteria st2kv.system only)`);
    if (scope === 'user' && !this.user) throw new Error('st2kv.user needs a user: the rule has no context.user');
    if (!this.lookup) throw new Error('st2kv: no datastore is available here');
    const id = cacheKey(scope, key, decrypt);
    const value = this.values.get(id);
    if (value !== undefined) return value;
    if (!this.requests.has(id)) {
      if (this.requests.size >= MAX_KEYS) throw new Error(`st2kv: more than ${MAX_KEYS} datastore reads for one event`);
      this.requests.set(id, { scope, key, decrypt });
    }
    this.misses.add(id);
    return '';
  }

  private fetch(id: string): Promise<void> {
    let fetching = this.inflight.get(id);
    if (!fetching) {
      const { scope, key, decrypt } = this.requests.get(id)!;
      fetching = this.lookup!.get(scope, key, { user: scope === 'user' ? this.user : undefined, decrypt }).then((found) => {
        const value = found ?? '';
        this.values.set(id, value);
        if (!decrypt && value !== '') this.readAs.set(value, { scope, key });
      });
      // Several rules of one event may wait for the same key: it is fetched once.
      this.inflight.set(id, fetching);
    }
    return fetching;
  }

  /** Fetches the keys the last pass missed (false when it missed none). */
  async fetchMissing(): Promise<boolean> {
    const missed = [...this.misses];
    this.misses = new Set();
    if (missed.length === 0) return false;
    await Promise.all(missed.map((id) => this.fetch(id)));
    return true;
  }

  /** Asks for the keys a template names, so that one pass usually renders it. */
  prefetch(template: RuleTemplate): void {
    // Keys it may not read are left to rendering, which says why.
    const readable = ({ scope }: KeyRef): boolean => this.lookup !== undefined && this.scopes.includes(scope) && (scope === 'system' || this.user !== undefined);
    for (const ref of template.keys.filter(readable)) this.read(ref.scope, ref.key, false);
    for (const ref of template.decrypted.filter(readable)) this.read(ref.scope, ref.key, true);
  }

  /** The `st2kv` variable and the decrypt_kv function for one template. */
  context(template: RuleTemplate): Record<string, unknown> {
    // A key that is also the start of a longer one (`a` and `a.b`) must be a value and a mapping at once.
    const prefixes = new Set(template.keys.flatMap(({ scope, key }) => key.split('.').slice(0, -1).map((_, i, parts) => `${scope}.${parts.slice(0, i + 1).join('.')}`)));
    const entry = (scope: KeyValueScope, key: string): unknown => (prefixes.has(`${scope}.${key}`) ? this.keyNode(scope, key, prefixes) : this.read(scope, key, false));
    const scopeNode = (scope: KeyValueScope): object =>
      new Proxy(
        {},
        {
          get: (_, name) => {
            if (name === SCOPE) return scope;
            if (typeof name !== 'string' || name in Object.prototype) return undefined;
            return entry(scope, name);
          },
        },
      );
    return {
      st2kv: { system: scopeNode('system'), user: scopeNode('user') },
      [DECRYPT_KV_HOOK]: (value: unknown) => this.decrypt(value, template),
    };
  }

  /** A key read as text that also has sub-keys (`st2kv.system.a.b` reads key "a.b"). */
  private keyNode(scope: KeyValueScope, key: string, prefixes: ReadonlySet<string>): object {
    const text = (): string => this.read(scope, key, false);
    return new Proxy(
      {},
      {
        get: (_, name) => {
          if (name === NODE) return { scope, key };
          if (name === Symbol.toPrimitive) return text;
          if (typeof name !== 'string') return undefined;
          if (name in String.prototype) {
            const value = text();
            const member = (value as unknown as Record<string, unknown>)[name];
            return typeof member === 'function' ? member.bind(value) : member;
          }
          const sub = `${key}.${name}`;
          return prefixes.has(`${scope}.${sub}`) ? this.keyNode(scope, sub, prefixes) : this.read(scope, sub, false);
        },
      },
    );
  }

  /** decrypt_kv: the plain text of what st2kv gave the template. */
  private decrypt(value: unknown, template: RuleTemplate): string {
    this.decryptions++;
    const plain = this.decryptOnce(value, template);
    if (plain !== '') this.decryptedValues.add(plain);
    return plain;
  }

  private decryptOnce(value: unknown, template: RuleTemplate): string {
    const node = typeof value === 'object' && value !== null ? ((value as Record<symbol, unknown>)[NODE] as KeyRef | undefined) : undefined;
    const ref = node ?? (typeof value === 'string' ? this.readAs.get(value) : undefined);
    const fetchedEmpty = ({ scope, key }: KeyRef): boolean => this.values.get(cacheKey(scope, key, false)) === '';
    if (ref && !fetchedEmpty(ref)) return this.read(ref.scope, ref.key, true);
    // As StackStorm: a missing key reads as '', which decrypt_kv refuses, naming the key when it can.
    const missing = ref ?? (value === '' ? template.decrypted.find(fetchedEmpty) : undefined);
    if (missing || value === '') throw new Error(`decrypt_kv: datastore item ${missing ? `"st2kv.${missing.scope}.${missing.key}" ` : ''}does not exist or is empty`);
    throw new Error('decrypt_kv: expected a value read from st2kv.system or st2kv.user');
  }

  /** A rendered value with datastore entries turned into their text. */
  plain(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    const record = value as Record<symbol, unknown>;
    if (record[NODE]) return String(value);
    if (record[SCOPE]) throw new Error(`st2kv.${String(record[SCOPE])} is not a value: name a key, st2kv.${String(record[SCOPE])}.<key>`);
    if (Array.isArray(value)) return value.map((item) => this.plain(item));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.plain(item)]));
  }
}

const asTemplateError = (error: unknown): TemplateError => (error instanceof TemplateError ? error : new TemplateError(error instanceof Error ? error.message : String(error)));

async function renderWithDatastore(template: RuleTemplate, context: Record<string, unknown>, session: KeyValueSession, options: RenderOptions): Promise<unknown> {
  try {
    session.prefetch(template);
    await session.fetchMissing();
  } catch (error) {
    throw asTemplateError(error);
  }
  for (let pass = 1; ; pass++) {
    let result: { value: unknown } | { error: unknown };
    try {
      result = { value: session.plain(renderTemplate(template.source, { ...context, ...session.context(template) }, options)) };
    } catch (error) {
      result = { error };
    }
    // A pass that asked for more keys rendered placeholders for them: fetch them and render again.
    if (await session.fetchMissing().catch((error: unknown) => Promise.reject(asTemplateError(error)))) {
      if (pass >= MAX_PASSES) throw new TemplateError(`st2kv: keys still unknown after ${MAX_PASSES} passes`);
      continue;
    }
    if ('error' in result) throw asTemplateError(result.error);
    return result.value;
  }
}

/**
 * Renders a template with `context`, and `st2kv` from the session when the
 * template reads it. Synchronous when it does not. Throws (or rejects with)
 * TemplateError.
 */
export function renderRuleTemplate(template: RuleTemplate, context: Record<string, unknown>, session: KeyValueSession, options: RenderOptions = {}): unknown {
  // The most common pattern and parameter, `{{ trigger.x }}`, needs no template engine (a shell command quotes it: it does).
  if (template.lookup && !options.shell && Object.hasOwn(context, template.lookup.variable)) return lookUp(template, context);
  return template.usesKv ? renderWithDatastore(template, context, session, options) : renderTemplate(template.source, context, options);
}
