import { storableJson, withoutNul } from './storable';

describe('storable values', () => {
  it('replaces each NUL of a text with U+FFFD, leaving other text as it is', () => {
    expect(withoutNul('a\0b\0')).toBe('a\uFFFDb\uFFFD');
    expect(withoutNul('plain \\u0000 text')).toBe('plain \\u0000 text');
  });

  it('gives JSON whose strings, however nested, hold no NUL', () => {
    expect(JSON.parse(storableJson({ stdout: 'a\0b', nested: [{ deep: '\0' }], n: 1, flag: true, none: null }))).toEqual({ stdout: 'a\uFFFDb', nested: [{ deep: '\uFFFD' }], n: 1, flag: true, none: null });
  });
});
