import { OutputSink } from './output-sink';
import { runProcess } from './process-runner';
import type { RunnerContext } from './runner';

function context(): RunnerContext {
  return {
    executionId: 'e1',
    pack: 'test',
    parameters: {},
    actionParameters: {},
    packsDir: '',
    output: new OutputSink(async () => undefined),
    signal: new AbortController().signal,
    heartbeat: () => undefined,
    actionEnv: {},
  };
}

describe(runProcess.name, () => {
  it('survives an action that exits without reading a large input', async () => {
    // 8 MiB cannot fit in the pipe: the write fails with EPIPE once the process is gone.
    const outcome = await runProcess('true', [], { env: { PATH: process.env.PATH! }, timeoutSeconds: 10, stdin: 'x'.repeat(8 * 1024 * 1024) }, context());
    expect(outcome).toMatchObject({ status: 'succeeded', result: { return_code: 0 } });
  });
});
