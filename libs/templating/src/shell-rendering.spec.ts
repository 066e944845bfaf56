import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTemplate } from './render';

// A payload's text must reach a shell command as data, whatever filter it goes
// through: each `{{ }}` of a command is one shell word after its filters ran.

const dir = mkdtempSync(join(tmpdir(), 'tempest-shell-'));
const pwned = join(dir, 'pwned');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOSTILE = [`$(touch ${pwned})`, `\`touch ${pwned}\``, `'; touch ${pwned}; '`, `"; touch ${pwned}; "`, `a\ntouch ${pwned}`, `{{ 7 * 7 }} {% raw %}`, '-n', ''];

/** What bash prints for `printf '%s|' <rendered>`, and whether anything ran. */
function run(command: string): string {
  const { stdout, status } = spawnSync('bash', ['-c', command], { encoding: 'utf8' });
  expect(status).toBe(0);
  expect(existsSync(pwned)).toBe(false);
  return stdout;
}

const shell = (template: string, context: Record<string, unknown>) => String(renderTemplate(template, context, { shell: true }));
/** The text the expression gives outside a command. */
const plain = (expression: string, context: Record<string, unknown>): string => String(renderTemplate(`{{ ${expression} }}!`, context)).slice(0, -1);

// Filters that take a whole object (a payload's body) and give text.
const DATA_FILTERS = ['to_json_string', 'to_json_string(indent=2)', 'to_yaml_string', 'to_complex', 'json_escape', 'dump', 'dump(2)', 'string'];
// Filters that take text and give text.
const TEXT_FILTERS = [
  ...DATA_FILTERS,
  'upper',
  'lower',
  'title',
  'capitalize',
  'trim',
  'indent(2)',
  'center(60)',
  'replace("x", "y")',
  'regex_replace("t", "T")',
  'truncate(1000)',
  'escape',
  'safe',
  'urlencode',
  'basename',
  'default("none")',
  'list | join(" ")',
];

describe('rendering a shell command', () => {
  describe.each(HOSTILE)('with the payload value %j', (value) => {
    it.each(TEXT_FILTERS)('keeps `{{ value | %s }}` one word holding its text', (filter) => {
      const command = shell(`printf '%s|' {{ value | ${filter} }}`, { value });
      expect(run(command)).toBe(`${plain(`value | ${filter}`, { value })}|`);
    });

    it.each(DATA_FILTERS)('keeps `{{ body | %s }}` one word holding its text', (filter) => {
      const body = { value, list: [value, value], nested: { [value]: value } };
      expect(run(shell(`printf '%s|' {{ body | ${filter} }}`, { body }))).toBe(`${plain(`body | ${filter}`, { body })}|`);
    });

    it('keeps list items joined one word', () => {
      expect(run(shell(`printf '%s|' {{ body.list | join(" ") }} {{ body.list | first }}`, { body: { list: [value, value] } }))).toBe(`${value} ${value}|${value}|`);
    });
  });

  it.each(TEXT_FILTERS)('keeps payload keys one word each in a loop: %s', (filter) => {
    const labels = Object.fromEntries(HOSTILE.filter(Boolean).map((key, i) => [key, i]));
    const command = shell(`printf '%s|' {% for k, v in labels %}{{ k | ${filter} }} {{ v }} {% endfor %}`, { labels });
    const expected = Object.keys(labels).map((key, i) => `${plain(`k | ${filter}`, { k: key })}|${i}|`).join('');
    expect(run(command)).toBe(expected);
  });

  it('leaves the template text as written', () => {
    expect(shell('echo "$HOME" | tr a b; ls {{ dir }}', { dir: 'a b' })).toBe(`echo "$HOME" | tr a b; ls 'a b'`);
  });

  it('gives text even for a single expression', () => {
    expect(shell('{{ n }}', { n: 5 })).toBe('5');
    expect(shell('{{ items }}', { items: ['a b', 1] })).toBe(`'["a b",1]'`);
  });

  it('never outputs template markers, so a later rendering cannot evaluate the payload', () => {
    const command = shell('echo {{ v }}', { v: '{{ config_context.password }} {% if 1 %} {# c #}' });
    expect(command).not.toMatch(/\{\{|\{%|\{#/);
    expect(run(command)).toBe('{{ config_context.password }} {% if 1 %} {# c #}\n');
  });

  it('quotes what conditions and loops output, and uses the values themselves in them', () => {
    expect(shell('echo {% if flag %}{{ on }}{% else %}off{% endif %}', { flag: false, on: '$(x)' })).toBe('echo off');
    expect(shell('echo {% if flag %}{{ on }}{% endif %}', { flag: true, on: '$(x)' })).toBe(`echo '$(x)'`);
  });
});
