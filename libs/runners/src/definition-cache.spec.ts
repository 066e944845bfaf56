import { DefinitionCache } from './definition-cache';

describe(DefinitionCache.name, () => {
  const parser = () => {
    const parsed: string[] = [];
    return { parsed, parse: (text: string) => (parsed.push(text), { text, tasks: { a: { next: ['b'] } } }) };
  };

  it('parses a definition once, however many steps ask for it', () => {
    const sut = new DefinitionCache<object>();
    const { parsed, parse } = parser();
    for (let step = 0; step < 5; step++) sut.get('tasks: a', parse);
    expect(parsed).toEqual(['tasks: a']);
  });

  it('gives each caller its own copy: a change by one execution never reaches the next', () => {
    const sut = new DefinitionCache<{ tasks: Record<string, { next: string[] }> }>();
    const { parse } = parser();
    sut.get('tasks: a', parse).tasks.a.next.push('changed');
    expect(sut.get('tasks: a', parse).tasks.a.next).toEqual(['b']);
  });

  it('remembers nothing of a definition that fails to parse', () => {
    const sut = new DefinitionCache<object>();
    let calls = 0;
    const refuse = () => {
      calls++;
      throw new Error('invalid Orquesta definition');
    };
    expect(() => sut.get('broken', refuse)).toThrow('invalid Orquesta definition');
    expect(() => sut.get('broken', refuse)).toThrow('invalid Orquesta definition');
    expect(calls).toBe(2);
  });

  it('keeps the most recently used definitions, dropping the least recent beyond its size', () => {
    const sut = new DefinitionCache<object>(2);
    const { parsed, parse } = parser();
    sut.get('one', parse);
    sut.get('two', parse);
    sut.get('one', parse);
    sut.get('three', parse);
    sut.get('one', parse);
    sut.get('two', parse);
    expect(parsed).toEqual(['one', 'two', 'three', 'two']);
  });
});
