import { canTransition, isTerminal, statusesBefore } from './execution-status';

describe(canTransition.name, () => {
  it('moves forward through the StackStorm lifecycle', () => {
    expect(canTransition('requested', 'running')).toBe(true);
    expect(canTransition('running', 'succeeded')).toBe(true);
    expect(canTransition('running', 'canceling')).toBe(true);
    expect(canTransition('canceling', 'canceled')).toBe(true);
  });

  it('never leaves a terminal status or goes back', () => {
    expect(canTransition('succeeded', 'running')).toBe(false);
    expect(canTransition('canceled', 'succeeded')).toBe(false);
    expect(canTransition('running', 'requested')).toBe(false);
    expect(isTerminal('timeout')).toBe(true);
    expect(isTerminal('canceling')).toBe(false);
  });

  it('ends an execution whose worker died mid-run as abandoned, and nothing follows it', () => {
    expect(canTransition('running', 'abandoned')).toBe(true);
    expect(canTransition('canceling', 'abandoned')).toBe(true);
    expect(canTransition('scheduled', 'abandoned')).toBe(false);
    expect(canTransition('abandoned', 'succeeded')).toBe(false);
    expect(isTerminal('abandoned')).toBe(true);
  });

  it('names the statuses that may precede one', () => {
    expect(statusesBefore('running')).toEqual(['requested', 'scheduled', 'delayed', 'resuming']);
  });

  it('holds a run back as delayed (action.concurrency) until it runs, is canceled, or fails; never back to scheduled', () => {
    expect(canTransition('scheduled', 'delayed')).toBe(true);
    expect(canTransition('requested', 'delayed')).toBe(true);
    expect(canTransition('delayed', 'running')).toBe(true);
    expect(canTransition('delayed', 'canceled')).toBe(true);
    expect(canTransition('delayed', 'scheduled')).toBe(false);
    expect(canTransition('delayed', 'delayed')).toBe(false);
    expect(canTransition('running', 'delayed')).toBe(false);
    expect(isTerminal('delayed')).toBe(false);
  });

  it('pauses a running workflow and resumes it, the one way back to running', () => {
    expect(canTransition('running', 'pausing')).toBe(true);
    expect(canTransition('pausing', 'paused')).toBe(true);
    expect(canTransition('paused', 'resuming')).toBe(true);
    expect(canTransition('resuming', 'running')).toBe(true);
    // A retried write of an older pause status changes nothing.
    expect(canTransition('paused', 'pausing')).toBe(false);
    expect(canTransition('paused', 'running')).toBe(false);
    expect(canTransition('requested', 'pausing')).toBe(false);
    expect(canTransition('succeeded', 'paused')).toBe(false);
  });

  it('cancels or ends a paused workflow', () => {
    expect(canTransition('paused', 'canceling')).toBe(true);
    expect(canTransition('paused', 'canceled')).toBe(true);
    expect(canTransition('pausing', 'succeeded')).toBe(true);
    expect(isTerminal('paused')).toBe(false);
  });
});
