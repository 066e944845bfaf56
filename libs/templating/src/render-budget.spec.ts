import { MAX_TEMPLATE_MS, MAX_TEMPLATE_OUTPUT, MAX_TEMPLATE_STEPS } from './render-budget';
import { renderTemplate, TemplateError } from './render';

const ITERATIONS = `template exceeds the rendering budget: more than ${MAX_TEMPLATE_STEPS} loop iterations and calls`;
const OUTPUT = `template exceeds the rendering budget: more than ${MAX_TEMPLATE_OUTPUT} characters of output`;
const VALUE = `template exceeds the rendering budget: a value of more than ${MAX_TEMPLATE_OUTPUT} characters or items`;

function overBudget(template: string, context: Record<string, unknown> = {}): string {
  const started = performance.now();
  try {
    renderTemplate(template, context);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    // Refused early: long before the work or the memory the template asked for.
    expect(performance.now() - started).toBeLessThan(MAX_TEMPLATE_MS * 3);
    return (error as Error).message;
  }
  throw new Error(`rendering ${template} did not fail`);
}

describe('the rendering budget', () => {
  it.each([
    ['nested loops', '{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}'],
    ['a loop over a mapping in a loop', '{% for i in range(1000) %}{% for k, v in big %}{{ k }}{% endfor %}{% endfor %}'],
    ['calls in a loop', '{% for i in range(100000) %}{{ "x".upper() }}{{ "y".lower() }}{% endfor %}'],
  ])('refuses %s past the limit of loop iterations and calls', (_what, template) => {
    const big = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]));
    expect(overBudget(template, { big })).toContain(ITERATIONS);
  });

  it('refuses exponential macro recursion', () => {
    expect(overBudget('{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}')).toMatch(/^template exceeds the rendering budget: more than/);
  });

  it.each([
    ['a string method', '{{ "x".repeat(1000000000) }}', 'repeat() would make more than'],
    ['center', '{{ "x" | center(1000000000) }}', 'center() would make more than'],
    ['indent', '{{ text | indent(100000) }}', 'indent() would make more than'],
    ['replace of the empty string', '{{ text | replace("", text) }}', 'replace() would make more than'],
    ['join', '{{ range(100000) | join(text) }}', 'join() would make more than'],
    ['batch', '{{ [1] | batch(1000000000, "x") }}', 'batch() would make more than'],
    ['slice', '{{ [1] | slice(1000000000) }}', 'slice() would make more than'],
    ['to_json_string with a huge indent', '{{ data | to_json_string(indent=100000000) }}', 'to_json_string() would make more than'],
    ['doubling a list', '{% set l = [1] %}{% for i in range(60) %}{% set l = l.concat(l) %}{% endfor %}{{ l | length }}', VALUE],
    ['doubling a string', '{% set s = "x" %}{% for i in range(40) %}{% set s = s ~ s %}{% endfor %}{{ s }}', 'characters of output'],
    ['a doubled string through a filter', '{% set s = "x" %}{% for i in range(25) %}{% set s = s ~ s %}{% endfor %}{{ s | upper | length }}', VALUE],
    ['many outputs', '{% for i in range(50000) %}{{ text }}{% endfor %}', OUTPUT],
  ])('refuses output beyond the limit: %s', (_what, template, message) => {
    const text = 'line\n'.repeat(2000);
    const data = { a: [[[[1, 2, 3]]]], b: 'x' };
    expect(overBudget(template, { text, data })).toContain(message);
  });

  it('refuses a template that renders for too long', () => {
    // Each call replaces 100,000 matches: the loop would take minutes.
    const text = 'a'.repeat(100_000);
    expect(overBudget('{% for i in range(10000) %}{{ text | regex_replace("a", "b") | length }}{% endfor %}', { text })).toContain(`template exceeds the rendering budget: more than ${MAX_TEMPLATE_MS} ms of rendering`);
  });

  it('leaves nothing behind: the next rendering has its own budget', () => {
    overBudget('{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}');
    expect(renderTemplate('{% for i in range(60000) %}{% endfor %}{{ n }}', { n: 1 })).toBe('1');
    expect(renderTemplate('{{ s }} {{ s }}', { s: 'a b' })).toBe('a b a b');
  });

  it('renders what stays within it', () => {
    expect(renderTemplate('{% for i in range(3) %}{% for j in range(2) %}{{ i }}{{ j }} {% endfor %}{% endfor %}', {})).toBe('00 01 10 11 20 21 ');
    expect(renderTemplate('{{ range(1000) | join(",") | length }}', {})).toBe(3889);
    expect(renderTemplate('{{ data | to_json_string(indent=2) }}', { data: { a: [1] } })).toBe('{\n  "a": [\n    1\n  ]\n}');
  });

  it('refuses JavaScript regex literals, which would backtrack', () => {
    expect(() => renderTemplate('{{ text.match(r/(a+)+$/) }}', { text: 'a' })).toThrow('regular expression literals (r/.../) are not supported');
  });
});
