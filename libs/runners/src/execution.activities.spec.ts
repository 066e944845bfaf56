import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ActionTokenRepository, ExecutionRepository, PackConfigRepository, PackRepository, RuleRepository } from '@tempest/db';
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

  function activities(runner: Runner, runnerType = 'test-runner') {
    return createExecutionActivities({
      db: database.db,
      executions,
      packConfigs: new PackConfigRepository(database.db),
      tokens: new ActionTokenRepository(database.db),
      apiUrl: 'http://127.0.0.1:9',
      packsDir: '/nonexistent',
      runners: { [runnerType]: runner },
    });
  }

  async function request(runnerType = 'test-runner'): Promise<RunActionInput> {
    const id = randomUUID();
    await executions.create({ id, actionRef: 'test.act', pack: 'test', runnerType, parameters: {}, secrets: {}, context: { user: 'admin', source: 'api' } });
    return { executionId: id, action: { ref: 'test.act', pack: 'test', runnerType }, parameters: {}, timeoutSeconds: 30, runId: 'run-1', attempt: 1 };
  }

  async function actiontriggers(executionId: string): Promise<unknown[]>;
  async function actiontriggers(executionId: string, field: 'status'): Promise<string[]>;
  async function actiontriggers(executionId: string, field?: 'status'): Promise<unknown[]> {
    const rows = await database.db.selectFrom('trigger_instances').select(['payload', 'status']).where('trigger', '=', 'core.st2.generic.actiontrigger').execute();
    const mine = rows.filter((row) => (row.payload as { execution_id?: string }).execution_id === executionId);
    return mine.map((row) => (field ? row.status : row.payload));
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

  it('asked to finish, records the end of an execution the attempt ends: status, result with its attempts, one actiontrigger', async () => {
    const input = { ...(await request()), attempt: 2, finishIfFinal: true as const, retry: { retryOn: 'failure' as const, maxRetryCount: 1, delaySeconds: 0 } };
    const sut = activities(async () => ({ status: 'failed', result: { return_code: 1 } }));

    const outcome = await new MockActivityEnvironment().run(sut.runAction, input);

    expect(outcome).toEqual({ status: 'failed', result: { return_code: 1, attempts: 2 }, recorded: true });
    expect(await executions.getById(input.executionId)).toMatchObject({ status: 'failed', result: { return_code: 1, attempts: 2 } });
    expect(await actiontriggers(input.executionId)).toEqual([expect.objectContaining({ status: 'failed' })]);
    expect(await tokenCount(input.executionId)).toBe(0);
  });

  it('asked to finish, leaves the execution running when the action.retry policy runs it again', async () => {
    const input = { ...(await request()), finishIfFinal: true as const, retry: { retryOn: 'failure' as const, maxRetryCount: 1, delaySeconds: 0 } };
    const sut = activities(async () => ({ status: 'failed', result: { return_code: 1 } }));

    expect(await new MockActivityEnvironment().run(sut.runAction, input)).toEqual({ status: 'failed', result: { return_code: 1 } });
    expect((await executions.getById(input.executionId))?.status).toBe('running');
    expect(await actiontriggers(input.executionId)).toEqual([]);
  });

  it('mints no API token for a runner that starts no process of the action (noop, http-request)', async () => {
    const input = await request('noop');
    let env: Record<string, string> = {};
    const sut = activities(async ({ actionEnv }) => {
      env = actionEnv;
      return { status: 'succeeded', result: null };
    }, 'noop');

    expect(await new MockActivityEnvironment().run(sut.runAction, input)).toEqual({ status: 'succeeded', result: null });
    expect(env).not.toHaveProperty('ST2_ACTION_AUTH_TOKEN');
    expect(env).toMatchObject({ ST2_ACTION_EXECUTION_ID: input.executionId });
  });

  it('records the actiontrigger as processed when no enabled rule listens to it, and queues it for the gateways when one does', async () => {
    const sut = activities(async () => ({ status: 'succeeded', result: null }));
    const unheard = await request();
    await executions.transition(unheard.executionId, 'running');
    await sut.finishExecution(unheard.executionId, { status: 'succeeded', result: null });
    expect(await actiontriggers(unheard.executionId, 'status')).toEqual(['processed']);

    const rules = new RuleRepository(database.db);
    await new PackRepository(database.db).upsert({ ref: 'test', name: 'test', description: 'd', version: '1.0.0', author: 'a', keywords: [], dependencies: [], path: '/packs/test', metadata: {} });
    await rules.create({
      ref: 'test.on_end',
      pack: 'test',
      name: 'on_end',
      description: '',
      enabled: false,
      type: 'standard',
      trigger: { type: 'core.st2.generic.actiontrigger', parameters: {} },
      criteria: {},
      action: { ref: 'core.noop', parameters: {} },
      context: {},
      createdBy: 'admin',
    });
    const disabledOnly = await request();
    await executions.transition(disabledOnly.executionId, 'running');
    await sut.finishExecution(disabledOnly.executionId, { status: 'succeeded', result: null });
    expect(await actiontriggers(disabledOnly.executionId, 'status')).toEqual(['processed']);

    await rules.setEnabled('test.on_end', true);
    const heard = await request();
    await executions.transition(heard.executionId, 'running');
    await sut.finishExecution(heard.executionId, { status: 'succeeded', result: null });
    expect(await actiontriggers(heard.executionId, 'status')).toEqual(['pending']);
  });
});
