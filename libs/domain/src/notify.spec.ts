import { dueNotifications, normalizeNotify, notifyViolations, taskNotify, type Notify } from './notify';

describe('notify', () => {
  it('refuses what StackStorm\'s schema refuses, naming the field', () => {
    expect(notifyViolations('notify', { 'on-success': { routes: ['slack'], message: 'ok', data: { a: 1 }, channels: ['x'] } })).toEqual([]);
    expect(notifyViolations('notify', { 'on-succes': {}, 'on-failure': { route: ['x'], message: 3, data: [], routes: 'slack' } })).toEqual([
      'notify.on-succes: not a notify event (expected on-complete, on-success, on-failure)',
      'notify.on-failure.route: not a notify field (expected message, data, routes)',
      'notify.on-failure.message: expected a string',
      'notify.on-failure.data: expected an object',
      'notify.on-failure.routes: expected a list of route names',
    ]);
    expect(notifyViolations('notify', 'slack')).toEqual(['notify: expected an object with on-complete, on-success or on-failure']);
  });

  it('reads the older channels as routes and drops empty sections, as NotificationsHelper does', () => {
    expect(normalizeNotify({ 'on-complete': { channels: ['ops'] }, 'on-success': {}, 'on-failure': { message: '', routes: [], channels: ['pager'] } })).toEqual({
      'on-complete': { routes: ['ops'] },
      'on-failure': { routes: ['pager'] },
    });
    expect(normalizeNotify({ 'on-success': {} })).toBeUndefined();
    expect(normalizeNotify(undefined)).toBeUndefined();
  });

  it('is due on-complete always, on-success on success, on-failure on failed, timeout and abandoned only', () => {
    const notify: Notify = { 'on-complete': { routes: ['all'] }, 'on-success': { routes: ['ok'], message: 'done' }, 'on-failure': { routes: ['pager', 'pager'], data: { x: 1 } } };
    expect(dueNotifications(notify, 'core.local', 'succeeded')).toEqual([
      { event: 'on-complete', message: 'Action core.local completed.', data: {}, routes: ['all'] },
      { event: 'on-success', message: 'done', data: {}, routes: ['ok'] },
    ]);
    for (const status of ['failed', 'timeout', 'abandoned'] as const) {
      expect(dueNotifications(notify, 'core.local', status).map((d) => [d.event, d.message, d.routes])).toEqual([
        ['on-complete', 'Action core.local completed.', ['all']],
        ['on-failure', 'Action core.local failed.', ['pager']],
      ]);
    }
    expect(dueNotifications(notify, 'core.local', 'canceled').map((d) => d.event)).toEqual(['on-complete']);
    for (const status of ['running', 'paused', 'canceling'] as const) expect(dueNotifications(notify, 'core.local', status)).toEqual([]);
    expect(dueNotifications({ 'on-success': { message: 'no route' } }, 'core.local', 'succeeded')).toEqual([]);
  });

  describe('of a workflow task', () => {
    const chain: Notify = { 'on-complete': { routes: ['chain'] } };
    const task: Notify = { 'on-complete': { routes: ['task'] } };
    const action: Notify = { 'on-complete': { routes: ['action'] } };
    it('ActionChain: the action\'s, else the task\'s, else the chain\'s, unless skip_notify names the task', () => {
      const base = { runnerType: 'action-chain', task: 't1', workflowParameters: { skip_notify: ['t2'] }, workflowNotify: chain };
      expect(taskNotify({ ...base, actionNotify: undefined })).toBe(chain);
      expect(taskNotify({ ...base, taskNotify: task, actionNotify: undefined })).toBe(task);
      expect(taskNotify({ ...base, taskNotify: task, actionNotify: action })).toBe(action);
      expect(taskNotify({ ...base, task: 't2', taskNotify: task, actionNotify: action })).toBeUndefined();
    });
    it('Orquesta: only tasks its notify parameter lists, and only when the workflow has a notify', () => {
      const base = { runnerType: 'orquesta', workflowParameters: { notify: ['t1'] }, actionNotify: undefined };
      expect(taskNotify({ ...base, task: 't1', workflowNotify: chain })).toBe(chain);
      expect(taskNotify({ ...base, task: 't1', workflowNotify: chain, actionNotify: action })).toBe(action);
      expect(taskNotify({ ...base, task: 't2', workflowNotify: chain, actionNotify: action })).toBeUndefined();
      expect(taskNotify({ ...base, task: 't1', workflowNotify: undefined, actionNotify: action })).toBeUndefined();
    });
  });
});
