import { BadRequestException } from '@nestjs/common';
import { accepts, ends, parseStreamQuery, type StreamEvent } from './stream-filter';

const update = (id: string, status: string, actionRef = 'core.local'): StreamEvent => ({ name: 'st2.execution__update', data: {}, executionId: id, actionRef, status });

describe(parseStreamQuery.name, () => {
  it("takes StackStorm's default events when none are named: every event but output", () => {
    const sut = parseStreamQuery({});
    expect(accepts(sut, update('a', 'running'))).toBe(true);
    expect(accepts(sut, { name: 'st2.announcement__chatops', data: {} })).toBe(true);
    expect(accepts(sut, { name: 'st2.execution.output__create', data: {}, executionId: 'a' })).toBe(false);
  });

  it('matches events as fnmatch globs, comma-separated or repeated', () => {
    const sut = parseStreamQuery({ events: ['st2.execution.*', 'st2.liveaction__update'] });
    expect(accepts(sut, { name: 'st2.execution.output__create', data: {} })).toBe(true);
    expect(accepts(sut, { name: 'st2.liveaction__update', data: {} })).toBe(true);
    expect(accepts(sut, update('a', 'running'))).toBe(false);
    expect(accepts(parseStreamQuery({ events: 'st2.execution__update,st2.execution__create' }), update('a', 'running'))).toBe(true);
  });

  it('keeps events of the execution ids and action refs named; a liveaction has no execution id, as in StackStorm', () => {
    const sut = parseStreamQuery({ execution_ids: 'a,b', action_refs: 'core.local' });
    expect(accepts(sut, update('a', 'running'))).toBe(true);
    expect(accepts(sut, update('c', 'running'))).toBe(false);
    expect(accepts(sut, update('b', 'running', 'core.remote'))).toBe(false);
    expect(accepts(sut, { name: 'st2.liveaction__update', data: {}, actionRef: 'core.local' })).toBe(false);
  });

  it('ends on the end event of the end execution once it has ended', () => {
    const sut = parseStreamQuery({ end_event: 'st2.execution__update', end_execution_id: 'a' });
    expect(ends(sut, update('a', 'running'))).toBe(false);
    expect(ends(sut, update('b', 'succeeded'))).toBe(false);
    expect(ends(sut, update('a', 'succeeded'))).toBe(true);
  });

  it('refuses an unknown parameter, or a repeated single one, by name', () => {
    const refusal = (query: Record<string, unknown>) => {
      try {
        parseStreamQuery(query);
      } catch (error) {
        expect(error).toBeInstanceOf(BadRequestException);
        return JSON.stringify((error as BadRequestException).getResponse());
      }
      throw new Error('not refused');
    };
    expect(refusal({ execution: 'a' })).toContain('execution: unknown query parameter');
    expect(refusal({ end_event: ['a', 'b'] })).toContain('end_event: expected one non-empty value');
  });
});
