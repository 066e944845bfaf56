// YAQL's lexer, rule for rule as yaql/language/lexer.py (yaql 3.x) defines it.
import { YaqlSyntaxError, YaqlUnsupportedError } from './errors';

export type TokenType = 'number' | 'string' | 'keyword' | 'func' | 'dollar' | 'op' | 'const' | 'punct' | 'end';

export interface Token {
  type: TokenType;
  /** Operator or punctuation text, function or keyword name, `$name`, or the decoded string. */
  text: string;
  /** For numbers: the value and whether the literal was a float (`2.0`). For constants: true/false/null. */
  value?: number | boolean | null;
  float?: boolean;
  pos: number;
}

/** Operators yaql's standard factory defines (yaql/language/factory.py), longest first as PLY tries them. */
const SYMBOLS = ['?.', '=~', '!~', '!=', '=>', '->', '>=', '<=', '.', '+', '-', '*', '/', '>', '<', '=', '[', '{', '(', ')', ']', ',', '}'];
const WORD_OPERATORS = new Set(['mod', 'in', 'not', 'and', 'or']);
const CONSTANTS: Record<string, boolean | null> = { true: true, false: false, null: null };

// Python's re.UNICODE \w and \d; \b is a word/non-word edge.
const WORD = /[\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}]/u;
const isWord = (ch: string | undefined): boolean => ch !== undefined && WORD.test(ch);
const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
const IDENTIFIER = /[\p{L}\p{Mn}\p{Mc}\p{Pc}][\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}]*/uy;
const NUMBER = /\d+(?:\.?\d+)?(?![\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}])/uy;
const DOLLAR = /\$[\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}]*/uy;

function lexicalError(expr: string, pos: number): never {
  throw new YaqlSyntaxError(`Lexical error: illegal character '${String.fromCodePoint(expr.codePointAt(pos)!)}' at position ${pos}`, pos);
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Python's decode_escapes (yaql/language/lexer.py): known escapes decoded, any other backslash kept. */
function decodeEscapes(raw: string, pos: number): string {
  return raw.replace(/\\(U[\s\S]{8}|u[\s\S]{4}|x[\s\S]{2}|[0-7]{1,3}|N\{[^}]+\}|[\\'"abfnrtv])/g, (match, body: string) => {
    const kind = body[0];
    if (kind === 'N') throw new YaqlUnsupportedError(`the \\N{...} escape in a string`, pos);
    if (kind === 'U' || kind === 'u' || kind === 'x') {
      const hex = body.slice(1);
      if (!/^[0-9a-fA-F]+$/.test(hex)) throw new YaqlSyntaxError(`Lexical error: truncated escape '${match}' at position ${pos}`, pos);
      const code = parseInt(hex, 16);
      // Python keeps an escaped surrogate as a lone code point; JS would pair it with the next one.
      if (code >= 0xd800 && code <= 0xdfff) throw new YaqlUnsupportedError(`an escaped surrogate ('${match}') in a string`, pos);
      if (code > 0x10ffff) throw new YaqlSyntaxError(`Lexical error: illegal Unicode character '${match}' at position ${pos}`, pos);
      return String.fromCodePoint(code);
    }
    if (isDigit(kind)) return String.fromCodePoint(parseInt(body, 8));
    return SIMPLE_ESCAPES[kind];
  });
}

/** The string literal starting at `pos` (quote `'`, `"` or backtick), or null when it is not closed. */
function quoted(expr: string, pos: number): { text: string; end: number } | null {
  const quote = expr[pos];
  let i = pos + 1;
  while (i < expr.length && expr[i] !== quote) {
    if (expr[i] === '\\') {
      // Python's `.` (no DOTALL) does not match a newline after the backslash.
      if (i + 1 >= expr.length || expr[i + 1] === '\n') return null;
      i += 2;
    } else i += 1;
  }
  if (i >= expr.length) return null;
  const raw = expr.slice(pos + 1, i);
  const text = quote === '`' ? raw.replace(/\\`/g, '`') : decodeEscapes(raw, pos);
  return { text, end: i + 1 };
}

/** Tokens one by one: like PLY, a lexical error further on is only met once the parser gets there. */
export function* tokenize(expr: string): Generator<Token, void, undefined> {
  let pos = 0;
  while (pos < expr.length) {
    const ch = expr[pos];
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      pos += 1;
      continue;
    }
    if (ch === '$') {
      DOLLAR.lastIndex = pos;
      const text = DOLLAR.exec(expr)![0];
      yield { type: 'dollar', text, pos };
      pos += text.length;
      continue;
    }
    if (isDigit(ch) && !isWord(expr[pos - 1])) {
      NUMBER.lastIndex = pos;
      const match = NUMBER.exec(expr);
      if (!match) lexicalError(expr, pos);
      const text = match[0];
      const float = text.includes('.');
      if (!float && BigInt(Number(text)) !== BigInt(text)) throw new YaqlUnsupportedError(`the integer ${text} (a JS number cannot hold it exactly)`, pos);
      yield { type: 'number', text, value: Number(text), float, pos };
      pos += text.length;
      continue;
    }
    IDENTIFIER.lastIndex = pos;
    const word = !isWord(expr[pos - 1]) ? IDENTIFIER.exec(expr) : null;
    if (word) {
      const text = word[0];
      const end = pos + text.length;
      if (expr[end] === '(') {
        yield { type: 'func', text, pos };
        pos = end + 1;
      } else if (text.startsWith('__')) {
        lexicalError(expr, pos);
      } else if (WORD_OPERATORS.has(text)) {
        yield { type: 'op', text, pos };
        pos = end;
      } else if (text in CONSTANTS) {
        yield { type: 'const', text, value: CONSTANTS[text], pos };
        pos = end;
      } else {
        yield { type: 'keyword', text, pos };
        pos = end;
      }
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      const literal = quoted(expr, pos);
      if (!literal) lexicalError(expr, pos);
      yield { type: 'string', text: literal.text, pos };
      pos = literal.end;
      continue;
    }
    const symbol = SYMBOLS.find((s) => expr.startsWith(s, pos));
    if (!symbol) lexicalError(expr, pos);
    yield { type: '([]),}{'.includes(symbol) ? 'punct' : 'op', text: symbol, pos };
    pos += symbol.length;
  }
  yield { type: 'end', text: '', pos: expr.length };
}
