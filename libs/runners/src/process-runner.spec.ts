import { runProcess } from './process-runner';
import { runnerContext } from './runner-context.testing';

describe(runProcess.name, () => {
  it('survives an action that exits without reading a large input', async () => {
    // 8 MiB cannot fit in the pipe: the write fails with EPIPE once the process is gone.
    const outcome = await runProcess('true', [], { env: { PATH: process.env.PATH! }, timeoutSeconds: 10, stdin: 'x'.repeat(8 * 1024 * 1024) }, runnerContext());
    expect(outcome).toMatchObject({ status: 'succeeded', result: { return_code: 0 } });
  });
});
