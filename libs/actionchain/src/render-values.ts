import { DatastoreView, DECRYPT_KV_HOOK, type DatastoreLookup } from './datastore';
import { isJinjaExpression } from './definition';
import { pythonStr } from './python-text';

/**
 * Renders one Jinja template against a context, as @tempest/templating's
 * `renderTemplate` does: a template that is exactly one `{{ expression }}` gives
 * the expression's value, anything else gives text; it throws on a syntax
 * error or an undefined variable. Injected: @tempest/templating is not a pure
 * library (its render budget reads the clock; nunjucks compiles templates to
 * functions), so a pure conductor cannot import it.
 */
export type RenderFunction = (template: string, context: Record<string, unknown>) => unknown;

/** A value that failed to render: which key of the mapping, and its template. */
export class RenderValueError extends Error {
  override readonly name = 'RenderValueError';
  constructor(
    readonly key: string,
    readonly template: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Where the datastore scopes go into one context: the scopes StackStorm offers there. */
export interface DatastoreScopes {
  /** `st2kv.<scope>` entries. */
  readonly st2kv: readonly ('system' | 'user')[];
  /** The older top-level `system.x` too. */
  readonly legacySystem: boolean;
}

/**
 * StackStorm's jinja.render_values: each value of the mapping rendered against
 * the context (plus `__context`, the whole context). A value without a template
 * keeps its type; a template, at any depth, gives text, Python's str() of what
 * it evaluates to (`{{ 1 }}` is "1", `{{ [1] }}` is "[1]", `{{ true }}` is
 * "True"), as StackStorm's Jinja gives it. Casting to an action's parameter
 * types comes after (cast.ts). A template that gives None (`use_none`, `{{ None }}`)
 * gives null.
 */
export function renderValues(
  mapping: Readonly<Record<string, unknown>>,
  context: Record<string, unknown>,
  render: RenderFunction,
  lookup: DatastoreLookup | undefined,
  scopes: DatastoreScopes,
): Record<string, unknown> {
  const rendered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(mapping)) {
    const template = typeof value === 'string' ? value : JSON.stringify(value);
    try {
      rendered[key] = renderValue(value, (text) => renderOne(text, context, render, lookup, scopes));
    } catch (error) {
      throw new RenderValueError(key, template, error instanceof Error ? error.message : String(error));
    }
  }
  return rendered;
}

function renderValue(value: unknown, renderText: (text: string) => unknown): unknown {
  if (isJinjaExpression(value)) {
    const result = renderText(value);
    return result === null ? null : pythonStr(result);
  }
  if (Array.isArray(value)) return value.map((item) => renderValue(item, renderText));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, renderText)]));
  }
  return value;
}

function renderOne(template: string, context: Record<string, unknown>, render: RenderFunction, lookup: DatastoreLookup | undefined, scopes: DatastoreScopes): unknown {
  const datastore = new DatastoreView(lookup, template);
  const full: Record<string, unknown> = { ...context };
  if (scopes.st2kv.length > 0) full['st2kv'] = Object.fromEntries(scopes.st2kv.map((scope) => [scope, datastore.scope(scope)]));
  if (scopes.legacySystem) full['system'] = datastore.scope('system');
  // The context's own keys win over __context, as in render_values' super_context.
  const withSelf = { __context: full, ...full, [DECRYPT_KV_HOOK]: (value: unknown) => datastore.decrypt(value) };
  return datastore.materialise(render(template, withSelf));
}
