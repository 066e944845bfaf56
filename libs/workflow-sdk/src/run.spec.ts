import { ActionError } from './run';

describe(ActionError.name, () => {
  it('says which action ended how, in which execution, and why: its error, or its exit code and last line of stderr', () => {
    expect(new ActionError('core.local', 'e-1', 'failed', { return_code: 3, stderr: 'warming up\ndisk on fire\n', stdout: '' }).message).toBe('core.local failed (execution e-1): exit code 3, disk on fire');
    expect(new ActionError('core.http', 'e-2', 'failed', { error: 'connect ECONNREFUSED' }).message).toBe('core.http failed (execution e-2): connect ECONNREFUSED');
    expect(new ActionError('core.local', 'e-3', 'timeout', null)).toMatchObject({ message: 'core.local timeout (execution e-3)', ref: 'core.local', executionId: 'e-3', status: 'timeout', name: 'ActionError' });
  });
});
