// YAQL's grammar (yaql/language/parser.py) with the operator table of yaql's
// standard factory (yaql/language/factory.py), as a precedence-climbing parser.
import type { Arg, Node } from './ast';
import { YaqlError, YaqlSyntaxError } from './errors';
import { tokenize, type Token } from './lexer';
import { floatRepr } from './values';

/** Binding power of binary operators; groups as in factory.py, tightest first. `->` is right-associative. */
const BINARY: Record<string, number> = {
  '.': 110, '?.': 110,
  '=~': 80, '!~': 80,
  '*': 70, '/': 70, mod: 70,
  '+': 60, '-': 60,
  '>': 50, '<': 50, '>=': 50, '<=': 50, '!=': 50, '=': 50, in: 50,
  and: 30,
  or: 20,
  '->': 10,
};
const INDEXER = 100;
const UNARY: Record<string, number> = { '+': 90, '-': 90, not: 40 };

/** Nesting deeper than this is refused, so a hostile expression cannot exhaust the stack. */
export const MAX_NESTING = 200;

/** A token's value as PLY reports it (Python's str of it: True, None, 2.5, a string decoded). */
function tokenValue(token: Token): string {
  if (token.type === 'const') return token.value === null ? 'None' : token.value ? 'True' : 'False';
  if (token.type === 'number') return token.float ? floatRepr(Number(token.text)) : String(Number(token.text));
  return token.text;
}

class Parser {
  private at = 0;
  private depth = 0;
  private readonly tokens: Token[] = [];
  constructor(
    private readonly expr: string,
    private readonly source: Iterator<Token>,
  ) {}

  /** The token at `at`, lexed when first needed. */
  private get next(): Token {
    while (this.tokens.length <= this.at) {
      const step = this.source.next();
      this.tokens.push(step.done ? { type: 'end', text: '', pos: this.expr.length } : step.value);
    }
    return this.tokens[this.at];
  }

  private unexpected(token: Token): never {
    if (token.type === 'end') throw new YaqlSyntaxError(`Parse error: unexpected end of statement`, token.pos);
    throw new YaqlSyntaxError(`Parse error: unexpected '${tokenValue(token)}' at position ${token.pos} of expression '${this.expr}'`, token.pos);
  }

  private expect(text: string): void {
    const token = this.next;
    if ((token.type === 'punct' || token.type === 'op') && token.text === text) this.at += 1;
    else this.unexpected(token);
  }

  parseStatement(): Node {
    const node = this.parseExpr(0);
    if (this.next.type !== 'end') this.unexpected(this.next);
    return node;
  }

  private parseExpr(minPower: number): Node {
    this.depth += 1;
    try {
      return this.parseOperators(minPower);
    } finally {
      this.depth -= 1;
    }
  }

  private parseOperators(minPower: number): Node {
    if (this.depth > MAX_NESTING) throw new YaqlSyntaxError(`Parse error: expression nests deeper than ${MAX_NESTING} levels at position ${this.next.pos}`, this.next.pos);
    let left = this.parsePrefix();
    for (;;) {
      const token = this.next;
      if (token.type === 'punct' && token.text === '[') {
        if (INDEXER <= minPower) break;
        this.at += 1;
        const args = this.parseArgs(']');
        left = { type: 'index', target: left, args, pos: left.pos };
        continue;
      }
      if (token.type !== 'op' || !(token.text in BINARY)) break;
      const power = BINARY[token.text];
      if (power <= minPower) break;
      this.at += 1;
      const right = this.parseExpr(token.text === '->' ? power - 1 : power);
      left = { type: 'binary', op: token.text, left, right, pos: left.pos };
    }
    return left;
  }

  private parsePrefix(): Node {
    const token = this.next;
    this.at += 1;
    switch (token.type) {
      case 'number':
        return { type: 'constant', value: token.value as number, float: token.float, pos: token.pos };
      case 'string':
        return { type: 'constant', value: token.text, pos: token.pos };
      case 'const':
        return { type: 'constant', value: token.value as boolean | null, pos: token.pos };
      case 'keyword':
        return { type: 'keyword', name: token.text, pos: token.pos };
      case 'dollar':
        return { type: 'variable', name: token.text, pos: token.pos };
      case 'func':
        return { type: 'call', name: token.text, args: this.parseArgs(')'), pos: token.pos };
      case 'op':
        if (token.text in UNARY) return { type: 'unary', op: token.text, operand: this.parseExpr(UNARY[token.text]), pos: token.pos };
        break;
      case 'punct':
        if (token.text === '(') {
          const expr = this.parseExpr(0);
          this.expect(')');
          return { type: 'paren', expr, pos: token.pos };
        }
        if (token.text === '[') return { type: 'list', items: this.parseArgs(']'), pos: token.pos };
        if (token.text === '{') return { type: 'map', items: this.parseArgs('}'), pos: token.pos };
        break;
    }
    this.unexpected(token);
  }

  /**
   * args : arglist | named_arglist | arglist ',' named_arglist | (nothing). An arglist may leave
   * slots empty (`f(, x)`, `f(x, , y)`), never the last one; named arguments come last.
   */
  private parseArgs(close: string): Arg[] {
    const args: Arg[] = [];
    if (this.isPunct(close)) {
      this.at += 1;
      return args;
    }
    let named = false;
    for (;;) {
      if (this.isPunct(',')) {
        if (named) this.unexpected(this.next);
        args.push({ type: 'skip', pos: this.next.pos });
        this.at += 1;
        continue;
      }
      const value = this.parseExpr(0);
      if (this.next.type === 'op' && this.next.text === '=>') {
        this.at += 1;
        args.push({ type: 'mapping', key: value, value: this.parseExpr(0), pos: value.pos });
        named = true;
      } else {
        if (named) this.unexpected(this.next);
        args.push(value);
      }
      if (this.isPunct(',')) {
        this.at += 1;
        continue;
      }
      this.expect(close);
      return args;
    }
  }

  private isPunct(text: string): boolean {
    return this.next.type === 'punct' && this.next.text === text;
  }
}

/** Parses one YAQL expression (without Orquesta's `<% %>`); throws YaqlSyntaxError with the position. */
export function parse(expr: string): Node {
  try {
    return new Parser(expr, tokenize(expr)).parseStatement();
  } catch (error) {
    if (error instanceof YaqlError) error.expression = expr;
    throw error;
  }
}
