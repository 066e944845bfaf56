import { KeyValueInputError } from './errors';

export type KeyValueScope = 'system' | 'user';

/** StackStorm's full scope names, as its API answers with them. */
export const FULL_SCOPE_NAMES = { system: 'st2kv.system', user: 'st2kv.user' } as const;

/** `system`, `user`, or StackStorm's `st2kv.system` / `st2kv.user`; `all` too where `allowAll`. */
export function parseScope(text: string | undefined, fallback: KeyValueScope): KeyValueScope;
export function parseScope(text: string | undefined, fallback: KeyValueScope | 'all', allowAll: true): KeyValueScope | 'all';
export function parseScope(text: string | undefined, fallback: KeyValueScope | 'all', allowAll = false): KeyValueScope | 'all' {
  if (text === undefined || text === '') return fallback;
  const scope = text.replace(/^st2kv\./, '');
  if (scope === 'system' || scope === 'user' || (allowAll && scope === 'all')) return scope;
  throw new KeyValueInputError(`scope must be ${allowAll ? 'system, user or all' : 'system or user'} (or st2kv.system, st2kv.user), not "${text}"`);
}
