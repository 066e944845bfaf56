// Datastore reads are I/O, so the conductor never does them itself: the caller
// passes a synchronous `lookup` (the workflow driver pre-fetches the keys through
// an activity; `datastoreKeys()` lists the ones a definition can read).
// StackStorm's KeyValueLookup reads `st2kv.system.a.b.c` as the key "a.b.c",
// and a missing key as ''.

/**
 * Reads one datastore key, `system.<name>` or `user.<name>` (the user's own, for the
 * chain's user); undefined when it does not exist (templates then read ''). A driver
 * that pre-fetched `datastoreKeys(definition)` should throw for any other key (one
 * named by an expression, `st2kv.system[name]`), so the chain fails naming it
 * instead of reading ''.
 */
export type DatastoreLookup = (key: string, options: { decrypt: boolean }) => string | undefined;

/**
 * Context entry through which the renderer gets StackStorm's `decrypt_kv` filter:
 * the same name as @tempest/templating's DECRYPT_KV_HOOK (a spec checks they agree).
 */
export const DECRYPT_KV_HOOK = '__decrypt_kv__';

export type KeyScope = 'system' | 'user';

/** Keys a template names through `st2kv.system.x`, `st2kv.user.x` or (older) `system.x`. */
export function referencedKeys(template: string): { scope: KeyScope; key: string }[] {
  const found: { scope: KeyScope; key: string }[] = [];
  for (const match of template.matchAll(/(?<![\w.])(?:st2kv\.(system|user)|(system))\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)/g)) {
    found.push({ scope: (match[1] ?? match[2]) as KeyScope, key: match[3] });
  }
  for (const match of template.matchAll(/(?<![\w.])(?:st2kv\.(system|user)|(system))\[\s*(['"])([^'"]+)\3\s*\]/g)) {
    found.push({ scope: (match[1] ?? match[2]) as KeyScope, key: match[4] });
  }
  return found;
}

/** Every datastore key the templates in a value can read, as `scope.key`, for the driver to pre-fetch. */
export function datastoreKeys(value: unknown): string[] {
  const keys = new Set<string>();
  const walk = (item: unknown): void => {
    if (typeof item === 'string') for (const { scope, key } of referencedKeys(item)) keys.add(`${scope}.${key}`);
    else if (Array.isArray(item)) item.forEach(walk);
    else if (typeof item === 'object' && item !== null) Object.values(item).forEach(walk);
  };
  walk(value);
  return [...keys].sort();
}

const KEY_OF = Symbol('datastore key');

/** The datastore as one template sees it: scope objects, values read through `lookup`, and decrypt_kv. */
export class DatastoreView {
  /** Text read -> key it was read from, so decrypt_kv can find the key of a value. */
  private readonly readAs = new Map<string, string>();
  private readonly prefixes = new Set<string>();

  constructor(
    private readonly lookup: DatastoreLookup | undefined,
    template: string,
  ) {
    // A key that is also the start of a longer one (`a` and `a.b`) must be a value and a mapping at once.
    for (const { scope, key } of referencedKeys(template)) {
      const parts = key.split('.');
      for (let i = 1; i < parts.length; i++) this.prefixes.add(`${scope}.${parts.slice(0, i).join('.')}`);
    }
  }

  /** A scope object (`st2kv.system`), whose members are keys. */
  scope(scope: KeyScope): object {
    return new Proxy(
      {},
      {
        get: (_, name) => (typeof name !== 'string' || name in Object.prototype ? undefined : this.entry(`${scope}.${name}`)),
      },
    );
  }

  /** decrypt_kv: the plain text of a value this view read. */
  decrypt(value: unknown): string {
    const key = typeof value === 'object' && value !== null ? (value as Record<symbol, string>)[KEY_OF] : typeof value === 'string' ? this.readAs.get(value) : undefined;
    if (key === undefined) throw new Error('decrypt_kv: expected a value read from st2kv.system or st2kv.user');
    const plain = this.read(key, true);
    if (plain === '') throw new Error(`decrypt_kv: datastore item "st2kv.${key}" does not exist or is empty`);
    return plain;
  }

  /** Replaces what a template returned that is a key node (`{{ st2kv.system.a }}` where `a.b` is read too) by its text. */
  materialise(value: unknown): unknown {
    if (typeof value === 'object' && value !== null && KEY_OF in value) return this.read((value as Record<symbol, string>)[KEY_OF], false);
    return value;
  }

  private entry(key: string): unknown {
    return this.prefixes.has(key) ? this.node(key) : this.read(key, false);
  }

  private node(key: string): object {
    return new Proxy(
      {},
      {
        has: (_, name) => name === KEY_OF,
        get: (_, name) => {
          if (name === KEY_OF) return key;
          if (name === Symbol.toPrimitive || name === 'toString') return () => this.read(key, false);
          if (typeof name !== 'string' || name in Object.prototype) return undefined;
          return this.entry(`${key}.${name}`);
        },
      },
    );
  }

  private read(key: string, decrypt: boolean): string {
    if (!this.lookup) throw new Error(`st2kv.${key}: no datastore lookup was given to the action chain`);
    const value = this.lookup(key, { decrypt }) ?? '';
    if (!decrypt) this.readAs.set(value, key);
    return value;
  }
}
