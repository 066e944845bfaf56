// A criteria key names a value in the payload as StackStorm's jsonpath does:
// `trigger.a.b`, `trigger.list[0]`, `trigger.headers['X-Custom-Header']`,
// `trigger.list[*].name` and `trigger.*` (the first value found counts).
// Tempest also reads `trigger.list.0` as an index into a list.

type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'allValues' } | { kind: 'allItems' };

/** Reads the value a key names, or undefined when the payload has none. */
export type PathReader = (root: unknown) => unknown;

export class PathSyntaxError extends Error {
  override readonly name = 'PathSyntaxError';
}

const NAME = /^[^.[\]'"\s]+/;
const QUOTED = /^(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/;
const BRACKET = /^\[\s*(?:(-?\d+)|(\*)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/;

const unescape = (text: string): string => text.replace(/\\(.)/g, '$1');

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSteps(rest: string, key: string): Step[] {
  const steps: Step[] = [];
  let text = rest;
  while (text.length > 0) {
    let match: RegExpExecArray | null;
    if (text.startsWith('.')) {
      text = text.slice(1);
      if (text.startsWith('*')) {
        steps.push({ kind: 'allValues' });
        text = text.slice(1);
      } else if ((match = QUOTED.exec(text))) {
        steps.push({ kind: 'field', name: unescape(match[1] ?? match[2]) });
        text = text.slice(match[0].length);
      } else if ((match = NAME.exec(text))) {
        steps.push({ kind: 'field', name: match[0] });
        text = text.slice(match[0].length);
      } else {
        throw new PathSyntaxError(`"${key}": expected a name after "."`);
      }
    } else if ((match = BRACKET.exec(text))) {
      const [, index, star, single, double] = match;
      if (index !== undefined) steps.push({ kind: 'index', index: Number(index) });
      else if (star !== undefined) steps.push({ kind: 'allItems' });
      else steps.push({ kind: 'field', name: unescape(single ?? double) });
      text = text.slice(match[0].length);
    } else {
      throw new PathSyntaxError(`"${key}": cannot read "${text}" (expected .name, ['name'], [index] or [*])`);
    }
  }
  return steps;
}

/** The values one step leads to from `value`. */
function follow(value: unknown, step: Step): unknown[] {
  switch (step.kind) {
    case 'field':
      if (isDict(value)) return Object.hasOwn(value, step.name) ? [value[step.name]] : [];
      if (Array.isArray(value) && /^\d+$/.test(step.name)) return Number(step.name) < value.length ? [value[Number(step.name)]] : [];
      return [];
    case 'index': {
      if (!Array.isArray(value)) return [];
      const index = step.index < 0 ? value.length + step.index : step.index;
      return index >= 0 && index < value.length ? [value[index]] : [];
    }
    case 'allValues':
      return isDict(value) ? Object.values(value) : [];
    case 'allItems':
      return Array.isArray(value) ? value : [value];
  }
}

function firstMatch(value: unknown, steps: readonly Step[], from: number): { value: unknown } | undefined {
  if (from === steps.length) return { value };
  for (const next of follow(value, steps[from])) {
    const found = firstMatch(next, steps, from + 1);
    if (found) return found;
  }
  return undefined;
}

// Readers are made by top-level functions, so that each closure holds only what it reads.

function fieldReader(name: string): PathReader {
  return (value) => (isDict(value) && Object.hasOwn(value, name) ? value[name] : undefined);
}

function fieldsReader(names: readonly string[]): PathReader {
  return (value) => {
    let current = value;
    for (const name of names) {
      if (isDict(current)) {
        if (!Object.hasOwn(current, name)) return undefined;
        current = current[name];
      } else if (Array.isArray(current) && /^\d+$/.test(name)) {
        current = current[Number(name)];
      } else {
        return undefined;
      }
    }
    return current;
  };
}

function stepsReader(steps: readonly Step[]): PathReader {
  return (value) => firstMatch(value, steps, 0)?.value;
}

/**
 * Compiles a criteria key (its `#tag` already removed) that must start with
 * `root` (`trigger`, or `item` inside a search). Throws PathSyntaxError.
 */
export function compilePath(key: string, root: string): PathReader {
  const trimmed = key.trim();
  if (trimmed !== root && !trimmed.startsWith(`${root}.`) && !trimmed.startsWith(`${root}[`)) {
    throw new PathSyntaxError(`"${key}" must start with "${root}." to name a value in the ${root === 'item' ? 'list item' : 'trigger payload'}`);
  }
  const steps = parseSteps(trimmed.slice(root.length), key);
  if (!steps.every((step) => step.kind === 'field')) return stepsReader(steps);
  const names = steps.map((step) => step.name);
  // The common `trigger.name`, read without a loop.
  return names.length === 1 && !/^\d+$/.test(names[0]) ? fieldReader(names[0]) : fieldsReader(names);
}
