import { isTemplate, parse, renderTemplate } from './render';
import { templateReferences } from './template-ast';

/** What rendering needs of a parameter's metadata. */
export interface ParameterSpec {
  readonly default?: unknown;
  readonly immutable?: boolean;
}

/** StackStorm's context for action parameters, besides the parameters themselves. */
export interface ParameterContext {
  /** The pack's config. */
  readonly config_context?: Record<string, unknown>;
  /** user, execution id, parent, ... */
  readonly action_context?: Record<string, unknown>;
  /** The datastore (`st2kv.system.key`); the caller supplies the lookup object. */
  readonly st2kv?: unknown;
}

export type RenderParametersResult = { readonly ok: true; readonly values: Record<string, unknown> } | { readonly ok: false; readonly violations: string[] };

const RESERVED_NAMES: readonly string[] = ['config_context', 'action_context', 'st2kv'];

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Strongly connected components of the dependency graph (Tarjan), each one
 * after every component it depends on, so the list is a rendering order.
 */
function components(names: readonly string[], dependencies: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: string[][] = [];
  const visit = (name: string): void => {
    index.set(name, index.size);
    low.set(name, index.get(name)!);
    stack.push(name);
    onStack.add(name);
    for (const dependency of dependencies.get(name) ?? []) {
      if (!index.has(dependency)) {
        visit(dependency);
        low.set(name, Math.min(low.get(name)!, low.get(dependency)!));
      } else if (onStack.has(dependency)) {
        low.set(name, Math.min(low.get(name)!, index.get(dependency)!));
      }
    }
    if (low.get(name) === index.get(name)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== name);
      result.push(component.sort((a, b) => names.indexOf(a) - names.indexOf(b)));
    }
  };
  for (const name of names) if (!index.has(name)) visit(name);
  return result;
}

/**
 * Resolves action parameters as StackStorm does (st2common/util/param.py):
 * each parameter takes its given value, or its default when the value is
 * missing or null (always the default when immutable, and overriding an
 * immutable parameter is refused). String values may be templates reading
 * config_context, action_context, st2kv and other parameters by name, so they
 * are rendered in dependency order; parameters that refer to each other are
 * refused. Parameters with neither value nor default are null to templates
 * (so `{% if flag %}` works) and absent from the result. Non-string values
 * are not rendered.
 */
export function renderParameters(specs: Readonly<Record<string, ParameterSpec>>, values: Readonly<Record<string, unknown>>, context: ParameterContext = {}): RenderParametersResult {
  const violations: string[] = [];
  const names = [...new Set([...Object.keys(specs), ...Object.keys(values)])];
  const raw = new Map<string, unknown>();
  const returned: string[] = [];

  for (const name of names) {
    if (RESERVED_NAMES.includes(name)) {
      violations.push(`${name}: the name is reserved for the template context`);
      continue;
    }
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    const given = Object.hasOwn(values, name);
    const hasDefault = spec !== undefined && Object.hasOwn(spec, 'default');
    if (spec?.immutable && given) violations.push(`${name}: the parameter is immutable and cannot be overridden`);
    const value = given ? values[name] : undefined;
    raw.set(name, spec?.immutable || value === undefined || value === null ? (hasDefault ? spec.default : (value ?? null)) : value);
    if (given || hasDefault) returned.push(name);
  }

  const dependencies = new Map<string, string[]>();
  const unavailable = new Set<string>();
  for (const [name, value] of raw) {
    if (!isTemplate(value)) continue;
    try {
      dependencies.set(name, templateReferences(parse(value)).names.filter((reference) => raw.has(reference)));
    } catch (error) {
      violations.push(`${name}: ${reasonOf(error)}`);
      unavailable.add(name);
    }
  }

  const base = { config_context: context.config_context ?? {}, action_context: context.action_context ?? {}, st2kv: context.st2kv ?? {} };
  const rendered: Record<string, unknown> = {};
  for (const component of components([...raw.keys()], dependencies)) {
    const [name] = component;
    if (component.length > 1 || dependencies.get(name)?.includes(name)) {
      violations.push(component.length > 1 ? `parameters ${component.join(', ')} refer to each other` : `parameter ${name} refers to itself`);
      component.forEach((member) => unavailable.add(member));
      continue;
    }
    // A parameter built on one that failed is not reported again: the first violation says why.
    if (unavailable.has(name) || (dependencies.get(name) ?? []).some((dependency) => unavailable.has(dependency))) {
      unavailable.add(name);
      continue;
    }
    try {
      rendered[name] = renderTemplate(raw.get(name), { ...base, ...rendered });
    } catch (error) {
      violations.push(`${name}: ${reasonOf(error)}`);
      unavailable.add(name);
    }
  }

  if (violations.length > 0) return { ok: false, violations };
  return { ok: true, values: Object.fromEntries(returned.map((name) => [name, rendered[name]])) };
}
