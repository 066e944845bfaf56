// Grammar and precedence as yaql/language/parser.py and factory.py define them;
// error messages and positions as yaql reports them (checked with yaql 3.x).
import { YaqlSyntaxError, YaqlUnsupportedError } from './errors';
import { MAX_NESTING, parse } from './parser';
import type { Node } from './ast';

/** The tree as a compact S-expression, to read precedence at a glance. */
function shape(node: Node): string {
  switch (node.type) {
    case 'constant':
      return JSON.stringify(node.value);
    case 'keyword':
      return node.name;
    case 'variable':
      return node.name;
    case 'paren':
      return shape(node.expr);
    case 'unary':
      return `(${node.op} ${shape(node.operand)})`;
    case 'binary':
      return `(${node.op} ${shape(node.left)} ${shape(node.right)})`;
    case 'index':
      return `([] ${shape(node.target)} ${node.args.map((a) => shape(a as Node)).join(' ')})`;
    case 'call':
      return `${node.name}(${node.args.map((a) => (a.type === 'mapping' ? `${shape(a.key)}=>${shape(a.value)}` : a.type === 'skip' ? '_' : shape(a))).join(' ')})`;
    case 'list':
      return `[${node.items.map((a) => shape(a as Node)).join(' ')}]`;
    case 'map':
      return `{${node.items.map((a) => (a.type === 'mapping' ? `${shape(a.key)}=>${shape(a.value)}` : '?')).join(' ')}}`;
  }
}

describe(parse.name, () => {
  it.each([
    ['1 + 2 * 3 - 4', '(- (+ 1 (* 2 3)) 4)'],
    ['$.a.b[0]', '([] (. (. $ a) b) 0)'],
    ['-$.a', '(- (. $ a))'],
    ['-2 * 3', '(* (- 2) 3)'],
    ['not $.a = 1 and $.b', '(and (not (= (. $ a) 1)) (. $ b))'],
    ['a or b and c', '(or a (and b c))'],
    ['1 < 2 = true', '(= (< 1 2) true)'],
    ['x in $.l = false', '(= (in x (. $ l)) false)'],
    ['let(a => 1) -> let(b => 2) -> $a', '(-> let(a=>1) (-> let(b=>2) $a))'],
    ['$.l.select($ * 2).len()', '(. (. (. $ l) select((* $ 2))) len())'],
    ['7 mod 2 + 1', '(+ (mod 7 2) 1)'],
    ['$x?.y', '(?. $x y)'],
    ['f(1, b => 2)', 'f(1 b=>2)'],
    ['f(, 1)', 'f(_ 1)'],
    ['{a => 1}[a]', '([] {a=>1} a)'],
    ['[1, [2]][1][0]', '([] ([] [1 [2]] 1) 0)'],
    ['dict(a + b => c + d)', 'dict((+ a b)=>(+ c d))'],
    ['not(true)', 'not(true)'],
    ["'it\\'s' + `a\\b`", '(+ "it\'s" "a\\\\b")'],
    ['2.0', '2'],
  ])('%s', (expr, tree) => {
    expect(shape(parse(expr))).toBe(tree);
  });

  it('keeps a float literal a float', () => {
    expect(parse('2.0')).toMatchObject({ type: 'constant', value: 2, float: true });
    expect(parse('2')).toMatchObject({ type: 'constant', value: 2, float: false });
  });

  it.each([
    ['2 ** 3', "Parse error: unexpected '*' at position 3 of expression '2 ** 3'", 3],
    ['1e3', "Lexical error: illegal character '1' at position 0", 0],
    ['(1', 'Parse error: unexpected end of statement', 2],
    ["'open", "Lexical error: illegal character ''' at position 0", 0],
    ['a => b', "Parse error: unexpected '=>' at position 2 of expression 'a => b'", 2],
    ['f(a => 1, 2)', "Parse error: unexpected ')' at position 11 of expression 'f(a => 1, 2)'", 11],
    ['$.__x', "Lexical error: illegal character '_' at position 2", 2],
    ['a # b', "Lexical error: illegal character '#' at position 2", 2],
  ])('refuses %s with the position', (expr, message, position) => {
    const error = (() => {
      try {
        parse(expr);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(YaqlSyntaxError);
    expect(error).toMatchObject({ message, position, expression: expr });
  });

  it('refuses nesting deeper than the limit instead of exhausting the stack', () => {
    const deep = '('.repeat(MAX_NESTING + 1) + '1' + ')'.repeat(MAX_NESTING + 1);
    expect(() => parse(deep)).toThrow(YaqlSyntaxError);
    expect(() => parse('('.repeat(100) + '1' + ')'.repeat(100))).not.toThrow();
    expect(() => parse('-'.repeat(100_000) + '1')).toThrow(YaqlSyntaxError);
  });

  it('refuses escapes it cannot represent as Python does', () => {
    expect(() => parse("'\\N{BULLET}'")).toThrow(YaqlUnsupportedError);
    expect(() => parse("'\\ud83d'")).toThrow(YaqlUnsupportedError);
  });
});

describe('parse errors as yaql reports them', () => {
  it.each([
    // PLY lexes lazily: a grammar error before a lexical one is the one reported.
    ['!= __x', "Parse error: unexpected '!=' at position 0 of expression '!= __x'"],
    // PLY names the token's value: the decoded string, Python's True, None, floats.
    ["'a' '\\101'", "Parse error: unexpected 'A' at position 4 of expression ''a' '\\101''"],
    ['1 true', "Parse error: unexpected 'True' at position 2 of expression '1 true'"],
    ['1 null', "Parse error: unexpected 'None' at position 2 of expression '1 null'"],
    ['1 2.50', "Parse error: unexpected '2.5' at position 2 of expression '1 2.50'"],
    ['1 len(', "Parse error: unexpected 'len' at position 2 of expression '1 len('"],
  ])('%s', (expr, message) => {
    expect(() => parse(expr)).toThrow(message);
  });
});
