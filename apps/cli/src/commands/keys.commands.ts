import type { KeyValue, KeyValueFilter, KeyValueSelector } from '@tempest/client';
import { details, table } from '../format';
import { UsageError } from '../parameters';
import { emit, type CommandContext } from './context';

export interface KeyOptions {
  prefix?: string;
  scope?: string;
  user?: string;
  decrypt?: boolean;
  /** StackStorm's `st2 key set --encrypt` is accepted as --secret. */
  secret?: boolean;
  encrypt?: boolean;
  ttl?: string;
}

const USAGE = 'tempest key list [--prefix P] [--scope system|user|all] [--decrypt] | get <name> [--decrypt] | set <name> <value> [--secret] [--ttl SECONDS] | delete <name>  (get, set, delete: [--scope system|user] [--user U])';

function describeKey(key: KeyValue): string {
  return details([
    ['name', key.name],
    ['value', key.value],
    ['secret', key.secret],
    ['scope', key.scope],
    ['user', key.user],
    ['expires', key.expire_timestamp],
  ]);
}

/** `tempest key list|get|set|delete`, StackStorm's `st2 key` on the keys API. */
export async function keyCommand(context: CommandContext, [sub, name, value, ...extra]: string[], options: KeyOptions): Promise<number> {
  // The gateway validates the scope, naming the ones it accepts.
  const selector = { scope: options.scope as KeyValueSelector['scope'], user: options.user };
  const needName = () => {
    if (!name) throw new UsageError(`tempest key ${sub} <name>`);
    return name;
  };
  switch (sub) {
    case 'list': {
      const keys = await context.client.listKeys({ prefix: options.prefix, scope: options.scope as KeyValueFilter['scope'], user: options.user, decrypt: options.decrypt || undefined });
      emit(context, keys, () =>
        table(['name', 'value', 'secret', 'scope', 'user', 'expires'], keys.map((k) => [k.name, k.value, String(k.secret), k.scope, k.user ?? '', k.expire_timestamp ?? ''])),
      );
      return 0;
    }
    case 'get': {
      const key = await context.client.getKey(needName(), { ...selector, decrypt: options.decrypt || undefined });
      emit(context, key, () => describeKey(key));
      return 0;
    }
    case 'set': {
      if (!name || value === undefined || extra.length > 0) throw new UsageError('tempest key set <name> <value> [--secret] [--ttl SECONDS] [--scope system|user] [--user U]  (quote a value with spaces)');
      if (options.ttl !== undefined && !/^\d+$/.test(options.ttl)) throw new UsageError(`--ttl must be a whole number of seconds, not "${options.ttl}"`);
      const key = await context.client.setKey(name, {
        value,
        secret: options.secret || options.encrypt || undefined,
        ttl: options.ttl === undefined ? undefined : Number(options.ttl),
        ...selector,
      });
      emit(context, key, () => describeKey(key));
      return 0;
    }
    case 'delete': {
      await context.client.deleteKey(needName(), selector);
      emit(context, { name, deleted: true }, () => `${name}: deleted`);
      return 0;
    }
    default:
      throw new UsageError(USAGE);
  }
}
