import type { Runner } from './runner';

/** StackStorm's noop runner: succeeds without doing anything. */
export const noop: Runner = async () => ({ status: 'succeeded', result: { succeeded: true, failed: false, return_code: 0, stdout: '', stderr: '' } });
