import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ActionTokenRepository, ExecutionRepository, PackConfigRepository } from '@tempest/db';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import type { RunActionInput } from '@tempest/workflows';
import { createExecutionActivities } from './execution.activities';
import type { Runner } from './runner';

// runAction on a real Postgres; only Temporal's activity context is simulated.
describe(createExecutionActivities.name, () => {
  let database: TestDatabase;
  let executions: ExecutionRepository;
  beforeAll(async () => {
    database = await createTestDatabase();
    executions = new ExecutionRepository(database.db);
  });
  afterAll(() => database.drop());

  function activities(runner: Runner) {
    return createExecutionActivities({
      db: database.db,
      executions,
      packConfigs: new PackConfigRepository(database.db),
      tokens: new ActionTokenRepository(database.db),
      apiUrl: 'http://127.0.0.1:9',
      packsDir: '/nonexistent',
      runners: { 'test-runner': runner },
    });
  }

  async function request(): Promise<RunActionInput> {
    const id = randomUUID();
    await executions.create({ id, actionRef: 'test.act', pack: 'test', runnerType: 'test-runner', parameters: {}, secrets: {}, context: { user: 'admin', source: 'api' } });
    return { executionId: id, action: { ref: 'test.act', pack: 'test', runnerType: 'test-runner' }, parameters: {}, timeoutSeconds: 30, runId: 'run-1', attempt: 1 };
  }

  async function tokenCount(executionId: string): Promise<number> {
    return (await database.db.selectFrom('action_tokens').select('token_hash').where('execution_id', '=', executionId).execute()).length;
  }

  it('when the runner throws: flushes its output, revokes its token and stores the failure it returns', async () => {
    const input = await request();
    let tokensWhileRunning = 0;
    const sut = activities(async ({ output }) => {
      tokensWhileRunning = await tokenCount(input.executionId);
      output.append('stdout', 'before the crash\n');
      throw new TypeError('runner bug');
    });

    const outcome = await new MockActivityEnvironment().run(sut.runAction, input);

    expect(outcome).toEqual({ status: 'failed', result: { error: 'runner bug' } });
    expect(tokensWhileRunning).toBe(1);
    expect(await tokenCount(input.executionId)).toBe(0);
    expect((await executions.getOutput(input.executionId)).map((c) => c.data)).toEqual(['before the crash\n']);
    expect(await executions.settleAttempt(input.executionId, 1, 1)).toEqual({ state: 'finished', outcome });
  });

  it('starts an attempt once: a dispatch that lost its claim runs nothing', async () => {
    const input = await request();
    let runs = 0;
    const sut = activities(async () => {
      runs++;
      return { status: 'succeeded', result: null };
    });
    await executions.settleAttempt(input.executionId, 1, 1);

    await expect(new MockActivityEnvironment().run(sut.runAction, input)).rejects.toThrow(/handed to another worker; not started here/);
    expect(await new MockActivityEnvironment().run(sut.runAction, { ...input, dispatch: 2 })).toEqual({ status: 'succeeded', result: null });
    expect(runs).toBe(1);
  });
});
