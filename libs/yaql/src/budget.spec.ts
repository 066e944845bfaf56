// A hostile or careless expression fails with YaqlBudgetError instead of hanging the
// workflow task or filling its heap (the same idea as libs/templating's render budget).
import { DEFAULT_LIMITS } from './budget';
import { YaqlBudgetError } from './errors';
import { evaluate } from './evaluate';

describe('evaluation budget', () => {
  it.each([
    ['range(100000000).len()', 'steps'],
    ['range(100000000).select($ * 2).where($ > 1).toList()', 'steps'],
    ['range(100000).selectMany(range(100000)).len()', 'steps'],
    ["'x' * 100000000", 'characters and items'],
    ['[1] * 100000000', 'characters and items'],
    ["range(100).select('x' * 1000000).join('')", 'characters and items'],
    ['range(30).aggregate($1 + $1, [1])', 'characters and items'],
  ])('stops %s (%s)', (expr, limit) => {
    const started = performance.now();
    expect(() => evaluate(expr)).toThrow(YaqlBudgetError);
    expect(() => evaluate(expr)).toThrow(limit);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('stops data that nests too deeply for the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(() => evaluate('$.flatten().toList()', { data: deep })).toThrow(YaqlBudgetError);
  });

  it('takes smaller limits from the caller', () => {
    expect(() => evaluate('range(200).len()', { limits: { maxSteps: 100 } })).toThrow('budget of 100 steps');
    expect(evaluate('range(200).len()', { limits: { maxSteps: 1_000 } })).toBe(200);
    expect(() => evaluate("'ab' * 60", { limits: { maxAllocation: 100 } })).toThrow(YaqlBudgetError);
  });

  it('leaves room for what workflows do', () => {
    const data = { items: Array.from({ length: 10_000 }, (_, i) => ({ id: i, ok: i % 2 === 0 })) };
    expect(evaluate('$.items.where($.ok).select($.id).len()', { data })).toBe(5_000);
    expect(DEFAULT_LIMITS.maxSteps).toBeGreaterThanOrEqual(1_000_000);
  });
});
