import { OutputSink } from './output-sink';
import type { RunnerContext } from './runner';

/** A runner's context for specs that run it directly: output discarded, never canceled. */
export function runnerContext(parameters: Record<string, unknown> = {}): RunnerContext {
  return {
    executionId: 'e1',
    pack: 'core',
    parameters,
    actionParameters: {},
    packsDir: '',
    output: new OutputSink(async () => undefined),
    signal: new AbortController().signal,
    heartbeat: () => undefined,
    actionEnv: {},
  };
}
