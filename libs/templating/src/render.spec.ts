import { DECRYPT_KV_HOOK, isTemplate, renderTemplate, TemplateError } from './render';

function failure(template: string, context: Record<string, unknown> = {}): TemplateError {
  try {
    renderTemplate(template, context);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error(`rendering ${template} did not fail`);
}

describe(renderTemplate.name, () => {
  describe('a single expression', () => {
    it.each([
      ['a number', '{{ n }}', { n: 42 }, 42],
      ['a boolean', '{{ flag }}', { flag: false }, false],
      ['an object', '{{ obj }}', { obj: { a: [1, 2] } }, { a: [1, 2] }],
      ['a list', '{{ items }}', { items: ['x', 'y'] }, ['x', 'y']],
      ['null', '{{ nothing }}', { nothing: null }, null],
      ['arithmetic', '{{ n * 2 + 1 }}', { n: 4 }, 9],
      ['a filter result', '{{ text | upper }}', { text: 'abc' }, 'ABC'],
      ['a comparison', '{{ n > 3 }}', { n: 4 }, true],
      ['an attribute', '{{ obj.a[1] }}', { obj: { a: [1, 2] } }, 2],
    ])('gives its native value: %s', (_what, template, context, expected) => {
      expect(renderTemplate(template, context)).toEqual(expected);
    });

    it('allows whitespace around and inside the braces', () => {
      expect(renderTemplate('  {{n}}\n', { n: 7 })).toBe(7);
      expect(renderTemplate('{{   n   }}', { n: 7 })).toBe(7);
    });

    it('knows Jinja constants in either case', () => {
      expect(renderTemplate('{{ True }}', {})).toBe(true);
      expect(renderTemplate('{{ false }}', {})).toBe(false);
      expect(renderTemplate('{{ None }}', {})).toBeNull();
    });

    it('refuses an undefined attribute instead of returning nothing', () => {
      expect(failure('{{ obj.missing }}', { obj: {} }).message).toBe('{{ obj.missing }} is undefined');
    });
  });

  describe('anything else', () => {
    it('interpolates into a string', () => {
      expect(renderTemplate('Hello {{ name }}, you have {{ n }} alerts', { name: 'ops', n: 3 })).toBe('Hello ops, you have 3 alerts');
    });

    it('gives a string for two expressions, even with nothing between them', () => {
      expect(renderTemplate('{{ a }}{{ b }}', { a: 1, b: 2 })).toBe('12');
    });

    it('gives a string for blocks', () => {
      expect(renderTemplate('{% for host in hosts %}{{ host }};{% endfor %}', { hosts: ['a', 'b'] })).toBe('a;b;');
    });

    it('trims block lines as StackStorm does (trim_blocks, lstrip_blocks)', () => {
      expect(renderTemplate('{% if on %}\n  yes\n{% endif %}\n', { on: true })).toBe('  yes\n');
    });

    it('refuses to print an undefined attribute', () => {
      expect(failure('host: {{ obj.missing }}', { obj: {} }).message).toMatch(/^attempted to output null or undefined value \(line 1, column \d+\)$/);
    });
  });

  it('returns non-strings unchanged', () => {
    const obj = { a: '{{ x }}' };
    expect(renderTemplate(obj, {})).toBe(obj);
    expect(renderTemplate(5, {})).toBe(5);
    expect(renderTemplate(null, {})).toBeNull();
  });

  it('returns strings without {{ or {% unchanged', () => {
    expect(renderTemplate('no template { here } $HOME', {})).toBe('no template { here } $HOME');
  });

  it('renders shell metacharacters verbatim: no escaping, no evaluation', () => {
    const nasty = `$(rm -rf /); \`reboot\` | tee /etc/x && echo "quoted" 'single' > /dev/null <b>&amp;</b> \\n %s {}`;
    expect(renderTemplate('{{ cmd }}', { cmd: nasty })).toBe(nasty);
    expect(renderTemplate('run: {{ cmd }}', { cmd: nasty })).toBe(`run: ${nasty}`);
  });

  describe('undefined variables', () => {
    it('are an error naming the variable', () => {
      const error = failure('{{ mesage }}', { message: 'hi' });
      expect(error).toBeInstanceOf(TemplateError);
      expect(error.message).toBe('undefined variable "mesage"');
    });

    it('are named all at once', () => {
      expect(failure('{{ a }} {{ b }} {{ c }}', { b: 1 }).message).toBe('undefined variables "a", "c"');
    });

    it('are an error inside filters and conditions too', () => {
      expect(failure('{{ mesage | upper }}').message).toBe('undefined variable "mesage"');
      expect(failure('{% if mesage %}x{% endif %}').message).toBe('undefined variable "mesage"');
    });

    it('are allowed where the template checks for them, as under Jinja StrictUndefined', () => {
      expect(renderTemplate('{{ missing | default("fallback") }}', {})).toBe('fallback');
      expect(renderTemplate('{% if missing is defined %}{{ missing }}{% else %}none{% endif %}', {})).toBe('none');
    });

    it('do not include names the template declares', () => {
      expect(renderTemplate('{% set x = 2 %}{% for i in [1] %}{{ i * x }}{% endfor %}', {})).toBe('2');
    });
  });

  describe('use_none', () => {
    it('turns a value that renders to None into null', () => {
      expect(renderTemplate('{{ value | use_none }}', { value: null })).toBeNull();
      expect(renderTemplate('{{ value | use_none }}', { value: 'kept' })).toBe('kept');
    });

    it('leaves the marker alone inside a longer string, as StackStorm does', () => {
      expect(renderTemplate('x={{ value | use_none }}', { value: null })).toBe('x=%*****__%NONE%__*****%');
    });
  });

  it('reports syntax errors with their position', () => {
    expect(failure('{{ x }').message).toBe('syntax error: expected variable end (line 1, column 6)');
  });

  describe('confinement', () => {
    it.each([
      ['include', '{% include "/etc/passwd" %}'],
      ['import', '{% import "/etc/passwd" as pw %}'],
      ['from import', '{% from "/etc/passwd" import root %}'],
      ['extends', '{% extends "/etc/passwd" %}'],
    ])('cannot read files with %s', (_tag, template) => {
      const error = failure(template);
      expect(error.message).toMatch(/template not found: \/etc\/passwd/);
      expect(error.message).not.toMatch(/root:/);
    });

    it.each([
      ['a function constructor', '{{ range.constructor("return process.pid")() }}'],
      ['a computed member name', '{% set c = "constr" ~ "uctor" %}{{ range[c]("return process.pid")() }}'],
      ['a prototype', '{{ obj.__proto__ }}'],
    ])('cannot reach JavaScript through %s', (_path, template) => {
      expect(failure(template, { obj: {} }).message).toMatch(/^access to "(constructor|__proto__)" is not allowed in templates/);
    });

    it('does not resolve Object.prototype names as variables', () => {
      expect(failure('{{ constructor }}').message).toBe('undefined variable "constructor"');
      expect(renderTemplate('{{ constructor | default("none") }}', {})).toBe('none');
    });

    it('caps range() as Jinja sandbox does', () => {
      expect(renderTemplate('{{ range(3) }}', {})).toEqual([0, 1, 2]);
      expect(failure('{% for i in range(10000000) %}{% endfor %}').message).toBe('range() is limited to 100000 items');
    });
  });

  it('has the in test StackStorm adds', () => {
    expect(renderTemplate('{{ "b" is in(["a", "b"]) }}', {})).toBe(true);
    expect(renderTemplate('{{ "c" is in(["a", "b"]) }}', {})).toBe(false);
  });

  it('has decrypt_kv through the function the caller puts in the context', () => {
    const context = { token: 'c1pher', [DECRYPT_KV_HOOK]: (value: unknown) => (value === 'c1pher' ? 's3cret' : 'wrong') };
    expect(renderTemplate('Bearer {{ token | decrypt_kv }}', context)).toBe('Bearer s3cret');
    expect(failure('{{ token | decrypt_kv }}', { token: 'c1pher' }).message).toBe('decrypt_kv: no datastore to decrypt with here');
  });
});

describe(isTemplate.name, () => {
  it('looks for {{ or {% as StackStorm does', () => {
    expect(isTemplate('{{ x }}')).toBe(true);
    expect(isTemplate('{% if x %}{% endif %}')).toBe(true);
    expect(isTemplate('{ x }')).toBe(false);
    expect(isTemplate(42)).toBe(false);
  });
});
