import type { ActionTypes } from './core-actions';
import { run, type ParametersOf, type ResultOf, type RunOptions } from './run';

type PackOf<Ref> = Ref extends `${infer Pack}.${string}` ? Pack : never;
type NameOf<Ref, Pack extends string> = Ref extends `${Pack}.${infer Name}` ? Name : never;

/** An action as a function: `(parameters, options?) => result`, as run() calls it. */
export type ActionFunction<Ref extends string> = (parameters?: ParametersOf<Ref>, options?: RunOptions) => Promise<ResultOf<Ref>>;

/** `actions.<pack>.<name>`, typed for the refs of ActionTypes. */
export type TypedActions = { [Pack in PackOf<keyof ActionTypes>]: { [Name in NameOf<keyof ActionTypes, Pack>]: ActionFunction<`${Pack}.${Name}`> } };

/**
 * Every registered action as a function: `await actions.core.local({ cmd: 'df -h' })`
 * is `await run('core.local', { cmd: 'df -h' })`. Refs ActionTypes knows are
 * typed; `untypedActions.<pack>.<name>` reaches any other.
 */
export const actions = packs() as TypedActions;

/** Every registered action, with untyped parameters and result. */
export const untypedActions = packs() as Record<string, Record<string, (parameters?: Record<string, unknown>, options?: RunOptions) => Promise<unknown>>>;

function packs(): object {
  return new Proxy({}, { get: (_, pack) => (typeof pack === 'string' ? pack === 'then' ? undefined : actionsOf(pack) : undefined) });
}

function actionsOf(pack: string): object {
  return new Proxy({}, { get: (_, name) => (typeof name === 'string' && name !== 'then' ? (parameters?: Record<string, unknown>, options?: RunOptions) => run(`${pack}.${name}`, parameters, options) : undefined) });
}
