// Templates come from users (API parameters, rules, criteria) and render
// synchronously on the gateway's event loop, so each rendering gets a budget:
// a template over it fails with a TemplateError naming the limit, instead of
// blocking the process or filling its heap. The limits are per template.

/** Loop iterations plus calls (macros, functions, methods, filters) one template may make. */
export const MAX_TEMPLATE_STEPS = 100_000;
/** Characters (or list items) one template may output, or any one value in it may hold. */
export const MAX_TEMPLATE_OUTPUT = 4_000_000;
/** Wall-clock time one template may render for. */
export const MAX_TEMPLATE_MS = 1_000;

const EXCEEDS = 'template exceeds the rendering budget:';

/** Size of a value as the budget counts it: characters of a string, items of a list, keys of a mapping. */
function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) return Object.keys(value).length;
  // SafeString (the `safe` filter, macros' output) holds its text in val.
  const text = (value as { val?: unknown } | null)?.val;
  return typeof text === 'string' ? text.length : 0;
}

/** A count or width argument (Infinity counts as too many). */
const count = (value: unknown): number => (typeof value === 'number' && !Number.isNaN(value) ? Math.abs(value) : 0);
/** The length of a text argument, or of a number's digits. */
const length = (value: unknown): number => (typeof value === 'string' ? value.length : typeof value === 'number' ? String(value).length : sizeOf(value));
/** An indent given as a width or as the text itself (Python's json.dumps takes both). */
const width = (value: unknown): number => (typeof value === 'string' ? value.length : count(value));

/** Nodes (containers and leaves) and nesting depth of JSON-like data, for the size of its indented dump. */
function shape(value: unknown): { nodes: number; depth: number } {
  let nodes = 0;
  let depth = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0 && nodes <= MAX_TEMPLATE_OUTPUT) {
    const [item, level] = stack.pop()!;
    nodes += 1;
    depth = Math.max(depth, level);
    if (typeof item === 'object' && item !== null) for (const child of Object.values(item)) stack.push([child, level + 1]);
  }
  return { nodes, depth };
}

const indented = (value: unknown, indent: unknown, fallback = 0): number => {
  const { nodes, depth } = shape(value);
  return nodes * depth * (width(indent) || fallback);
};

/**
 * Filters and methods whose result can outgrow their input many times over
 * (`"x" | center(10**9)`, `s.repeat(n)`): the result's size, estimated
 * before they run, so the memory is never allocated.
 */
const GROWTH: Readonly<Record<string, (input: unknown, args: unknown[]) => number>> = {
  center: (_, [size]) => count(size),
  indent: (input, [size]) => (typeof input === 'string' ? input.split('\n').length : 1) * (count(size) || 4),
  batch: (input, [size]) => sizeOf(input) + count(size),
  slice: (input, [slices]) => sizeOf(input) + count(slices),
  replace: (input, [old, replacement]) => replacements(input, old) * length(replacement),
  replaceAll: (input, [old, replacement]) => replacements(input, old) * length(replacement),
  join: (input, [separator]) => sizeOf(input) * length(separator),
  repeat: (input, [times]) => sizeOf(input) * count(times),
  padStart: (_, [size]) => count(size),
  padEnd: (_, [size]) => count(size),
  dump: (input, [spaces]) => indented(input, spaces),
  to_json_string: (input, [indent]) => indented(input, indent),
  to_yaml_string: (input, [indent]) => indented(input, indent, 2),
};

function replacements(input: unknown, old: unknown): number {
  const text = typeof input === 'string' ? input : String((input as { val?: unknown } | null)?.val ?? '');
  if (typeof old !== 'string' && typeof old !== 'number') return 0;
  const needle = String(old);
  return needle === '' ? text.length + 1 : text.split(needle).length - 1;
}

/** One rendering's spending; the hooks of the template runtime call it. */
export class RenderBudget {
  private steps = 0;
  private output = 0;
  private readonly deadline = performance.now() + MAX_TEMPLATE_MS;

  /** Counts loop iterations or calls, and checks the clock. */
  spend(steps: number): void {
    this.steps += steps;
    if (this.steps > MAX_TEMPLATE_STEPS) throw new Error(`${EXCEEDS} more than ${MAX_TEMPLATE_STEPS} loop iterations and calls`);
    if (performance.now() > this.deadline) throw new Error(`${EXCEEDS} more than ${MAX_TEMPLATE_MS} ms of rendering`);
  }

  /** The message for output over the limit. */
  outputExceeded(): string {
    return `${EXCEEDS} more than ${MAX_TEMPLATE_OUTPUT} characters of output`;
  }

  /** A value the template made or is about to use must fit the output limit. */
  check(value: unknown): unknown {
    if (sizeOf(value) > MAX_TEMPLATE_OUTPUT) throw new Error(`${EXCEEDS} a value of more than ${MAX_TEMPLATE_OUTPUT} characters or items`);
    return value;
  }

  /** Counts a value the template writes out. */
  emit(text: string): void {
    this.output += text.length;
    if (this.output > MAX_TEMPLATE_OUTPUT) throw new Error(this.outputExceeded());
  }

  /** Runs a filter or method within the budget: counted, inputs and estimated result checked first, result after. */
  call(name: string, input: unknown, args: unknown[], run: () => unknown): unknown {
    this.spend(1);
    this.check(input);
    const named = args[args.length - 1];
    const keywords = typeof named === 'object' && named !== null && Object.hasOwn(named, '__keywords') ? Object.values(named) : [];
    for (const arg of [...args, ...keywords]) this.check(arg);
    const estimate = Object.hasOwn(GROWTH, name) ? GROWTH[name](input, [...args.slice(0, args.length - (keywords.length > 0 ? 1 : 0)), ...keywords]) : 0;
    if (estimate > MAX_TEMPLATE_OUTPUT) throw new Error(`${EXCEEDS} ${name}() would make more than ${MAX_TEMPLATE_OUTPUT} characters of output`);
    return this.check(run());
  }
}
