import type { KeyValueLookup, KeyValueScope } from './rule-definition';

/**
 * An in-memory datastore for tests of rule logic: secrets read without
 * decrypt give their "ciphertext", as the real datastore does. Records calls.
 */
export class FakeKeyValueLookup implements KeyValueLookup {
  readonly calls: { scope: KeyValueScope; key: string; user?: string; decrypt: boolean }[] = [];
  private readonly entries = new Map<string, { value: string; secret: boolean }>();

  set(scope: KeyValueScope, key: string, value: string, options: { user?: string; secret?: boolean } = {}): this {
    this.entries.set(`${scope}/${options.user ?? ''}/${key}`, { value, secret: options.secret ?? false });
    return this;
  }

  async get(scope: KeyValueScope, key: string, options: { user?: string; decrypt: boolean }): Promise<string | undefined> {
    this.calls.push({ scope, key, user: options.user, decrypt: options.decrypt });
    const entry = this.entries.get(`${scope}/${scope === 'user' ? (options.user ?? '') : ''}/${key}`);
    if (!entry) return undefined;
    return entry.secret && !options.decrypt ? `encrypted:${Buffer.from(entry.value).toString('base64')}` : entry.value;
  }
}
