// Python's ast.literal_eval for the literals a rendered value holds: StackStorm
// casts text such as "['a', 'b']" (a list rendered by Jinja) back to a list this way.
// Strings, numbers, True/False/None, lists, tuples (as lists) and dicts.

export class PythonLiteralError extends Error {
  override readonly name = 'PythonLiteralError';
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  parse(): unknown {
    const value = this.value();
    this.space();
    if (this.at < this.text.length) this.fail();
    return value;
  }

  private fail(): never {
    throw new PythonLiteralError(`malformed node or string: ${JSON.stringify(this.text)}`);
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }

  private value(): unknown {
    this.space();
    const char = this.text[this.at];
    if (char === "'" || char === '"') return this.string(char);
    if (char === '[') return this.sequence(']');
    if (char === '(') return this.sequence(')');
    if (char === '{') return this.dict();
    const word = /^(True|False|None)\b/.exec(this.text.slice(this.at));
    if (word) {
      this.at += word[0].length;
      return word[0] === 'True' ? true : word[0] === 'False' ? false : null;
    }
    const number = /^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?/.exec(this.text.slice(this.at));
    if (number) {
      this.at += number[0].length;
      return Number(number[0].replace(/_/g, ''));
    }
    return this.fail();
  }

  private string(quote: string): string {
    this.at++;
    let out = '';
    while (this.at < this.text.length && this.text[this.at] !== quote) {
      const char = this.text[this.at++];
      if (char !== '\\') {
        out += char;
        continue;
      }
      const next = this.text[this.at++];
      if (next === 'x' || next === 'u' || next === 'U') {
        const size = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = this.text.slice(this.at, this.at + size);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== size) this.fail();
        out += String.fromCodePoint(parseInt(hex, 16));
        this.at += size;
      } else if (next !== undefined && Object.hasOwn(ESCAPES, next)) out += ESCAPES[next];
      else out += `\\${next ?? ''}`;
    }
    if (this.text[this.at] !== quote) this.fail();
    this.at++;
    return out;
  }

  private sequence(close: string): unknown[] {
    this.at++;
    const items: unknown[] = [];
    for (;;) {
      this.space();
      if (this.text[this.at] === close) break;
      items.push(this.value());
      this.space();
      if (this.text[this.at] === ',') this.at++;
      else if (this.text[this.at] !== close) this.fail();
    }
    this.at++;
    return items;
  }

  private dict(): Record<string, unknown> {
    this.at++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.space();
      if (this.text[this.at] === '}') break;
      const key = this.value();
      if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean' && key !== null) this.fail();
      this.space();
      if (this.text[this.at++] !== ':') this.fail();
      out[typeof key === 'string' ? key : JSON.stringify(key)] = this.value();
      this.space();
      if (this.text[this.at] === ',') this.at++;
      else if (this.text[this.at] !== '}') this.fail();
    }
    this.at++;
    return out;
  }
}

/** The value of a Python literal, or a PythonLiteralError. */
export function parsePythonLiteral(text: string): unknown {
  return new Parser(text).parse();
}
