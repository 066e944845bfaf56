import { triggerChanges, triggerOf, watchedTriggers } from './watched-triggers';

describe(watchedTriggers.name, () => {
  const rule = (trigger_type: string, trigger_parameters: Record<string, unknown>, enabled = true) => ({ trigger_type, trigger_parameters, enabled });

  it('gives one trigger per type and parameters, whatever their key order, and ignores disabled rules', () => {
    const sut = watchedTriggers([
      rule('ops.file_line', { path: '/a', follow: { from: 'end', lines: 2 } }),
      rule('ops.file_line', { follow: { lines: 2, from: 'end' }, path: '/a' }),
      rule('ops.file_line', { path: '/b' }),
      rule('ops.file_line', { path: '/c' }, false),
      rule('core.st2.webhook', { url: 'x' }),
    ]);
    expect([...sut.get('ops.file_line')!.values()].map((t) => t.parameters.path)).toEqual(['/a', '/b']);
    expect(sut.get('core.st2.webhook')!.size).toBe(1);
  });

  it('tells which triggers appeared and which went away', () => {
    const a = triggerOf('ops.t', { n: 1 });
    const b = triggerOf('ops.t', { n: 2 });
    const c = triggerOf('ops.t', { n: 3 });
    expect(triggerChanges(new Map([[a.id, a], [b.id, b]]), new Map([[b.id, b], [c.id, c]]))).toEqual({ added: [c], removed: [a] });
    expect(triggerOf('ops.t', { n: 1 }).id).toBe(a.id);
  });
});
