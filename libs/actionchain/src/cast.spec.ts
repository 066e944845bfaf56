// As StackStorm's st2common/util/casts.py (github:StackStorm/st2 @ c2eaf56b).
import { castParameter } from './cast';

describe('castParameter', () => {
  it.each<[string, unknown, string | undefined, unknown]>([
    ['integer', '1', 'integer', 1],
    ['integer from a float', 3.7, 'integer', 3],
    ['number', '3.14', 'number', 3.14],
    ['number in exponent form', '1e3', 'number', 1000],
    ['boolean "true"', 'true', 'boolean', true],
    ['boolean "FALSE"', 'FALSE', 'boolean', false],
    ['boolean "1" stays a number, as literal_eval gives', '1', 'boolean', 1],
    ['array from JSON', '["a", 1]', 'array', ['a', 1]],
    ['array from Python', "['a', 1]", 'array', ['a', 1]],
    ['object from Python', "{'a': None}", 'object', { a: null }],
    ['string', 'x', 'string', 'x'],
    ['no type', '1', undefined, '1'],
    ['a list of types casts nothing', '1', ['integer', 'string'] as unknown as string, '1'],
    ['null stays null', null, 'integer', null],
  ])('%s', (_, value, type, expected) => {
    expect(castParameter('p', value, type)).toEqual(expected);
  });

  it.each<[unknown, string, RegExp]>([
    ['stringnotanarray', 'array', /^Failed to cast value "stringnotanarray" \(type: str\) for parameter "p" of type "array": malformed node or string/],
    ['1.5', 'integer', /^Failed to cast value "1.5" \(type: str\) for parameter "p" of type "integer": invalid literal for int\(\) with base 10: '1.5'/],
    ['x', 'number', /could not convert string to float: 'x'/],
    ['yes', 'boolean', /malformed node or string/],
    [1, 'string', /Value "1" must either be a string or None. Got "int"./],
  ])('refuses %j as %s', (value, type, message) => {
    expect(() => castParameter('p', value, type)).toThrow(message);
  });
});
