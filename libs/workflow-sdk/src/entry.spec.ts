import { ApplicationFailure, CancelledFailure } from '@temporalio/workflow';
import { packWorkflowFunction } from './entry';

// Following pauses needs a workflow (signal handlers, patches): covered end to end by apps/worker's pack-workflows.spec.
jest.mock('./pause', () => ({ listenForPauses: jest.fn() }));

describe(packWorkflowFunction.name, () => {
  const where = 'ops/actions/heal.ts';

  it("runs the module's export with the parameters and answers what it returns", async () => {
    const sut = packWorkflowFunction({ heal: async (p: { host: string }) => `healed ${p.host}` }, 'heal', where);
    await expect(sut({ host: 'web-1' })).resolves.toBe('healed web-1');
  });

  it('fails, without retrying, naming the missing export and those there are', async () => {
    const sut = packWorkflowFunction({ heal: async () => 1, VERSION: 2 }, 'cure', where);
    const failure = await sut({}).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ message: 'ops/actions/heal.ts exports no function "cure" (it exports: heal)', type: 'WorkflowFunctionMissing', nonRetryable: true });
  });

  it("turns what the function throws into the workflow's failure, with its message; Temporal's own failures go on as they are", async () => {
    const thrown = async () => {
      throw new TypeError('still 97% used');
    };
    await expect(packWorkflowFunction({ thrown }, 'thrown', where)({})).rejects.toMatchObject({ message: 'still 97% used', type: 'TypeError', nonRetryable: true });
    const canceled = new CancelledFailure('canceled');
    await expect(
      packWorkflowFunction({ cancel: async () => Promise.reject(canceled) }, 'cancel', where)({}),
    ).rejects.toBe(canceled);
    await expect(packWorkflowFunction({ text: async () => Promise.reject('plain text') }, 'text', where)({})).rejects.toMatchObject({ message: 'plain text', nonRetryable: true });
  });
});
