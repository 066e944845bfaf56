import { TriggerInstanceRepository } from '@tempest/db';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';
import { createTimerActivities } from './timer.activities';

describe(createTimerActivities.name, () => {
  let database: TestDatabase;
  let instances: TriggerInstanceRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    instances = new TriggerInstanceRepository(database.db);
  });
  afterAll(() => database.drop());

  const fire = {
    trigger: 'core.st2.IntervalTimer',
    parameters: { unit: 'seconds', delta: 5 },
    scheduledAt: '2030-01-01T10:00:05.000Z',
    workflowId: 'tempest-timer-core.st2.IntervalTimer-0123456789abcdef-2030-01-01T10:00:05Z',
    scheduleId: 'tempest-timer-core.st2.IntervalTimer-0123456789abcdef',
  };

  it('stores a fire as a pending trigger instance with StackStorm\'s timer payload', async () => {
    const sut = createTimerActivities({ triggerInstances: instances });
    const { triggerInstanceId, created } = await sut.recordTimerFire(fire);
    expect(created).toBe(true);
    expect(await instances.getById(triggerInstanceId)).toMatchObject({
      trigger: 'core.st2.IntervalTimer',
      parameters: { unit: 'seconds', delta: 5 },
      payload: { executed_at: '2030-01-01T10:00:05.000Z', schedule: null },
      occurrence_time: new Date('2030-01-01T10:00:05.000Z'),
      status: 'pending',
      source: 'timer',
      trace_tag: fire.workflowId,
      context: { workflow_id: fire.workflowId, schedule_id: fire.scheduleId },
    });
  });

  it('stores a retried fire once, and the next fire of the same timer anew', async () => {
    const sut = createTimerActivities({ triggerInstances: instances });
    const retried = { ...fire, scheduledAt: '2030-01-01T10:00:10.000Z' };
    const first = await sut.recordTimerFire(retried);
    // Same fire, parameters in another order, as a replayed workflow might send them.
    expect(await sut.recordTimerFire({ ...retried, parameters: { delta: 5, unit: 'seconds' } })).toEqual({ triggerInstanceId: first.triggerInstanceId, created: false });
    expect((await sut.recordTimerFire({ ...fire, scheduledAt: '2030-01-01T10:00:15.000Z' })).created).toBe(true);
    expect(await instances.search({ trigger: 'core.st2.IntervalTimer', since: new Date('2030-01-01T10:00:10Z'), limit: 10, offset: 0 })).toHaveLength(2);
  });
});
