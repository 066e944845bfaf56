import type { Execution } from '@tempest/client';
import { workflowReport } from './workflow-result';

const execution = (fields: { id?: string; status?: string; result?: unknown; action?: { ref: string }; runner: string; task?: string }): Execution =>
  ({
    id: fields.id ?? 'wf-1',
    action: { ref: fields.action?.ref ?? 'examples.flow', pack: 'examples', runner_type: fields.runner },
    parameters: {},
    status: fields.status ?? 'succeeded',
    status_history: [],
    context: fields.task ? { task: fields.task } : {},
    result: fields.result,
    start_timestamp: '2026-12-05T10:00:00.000Z',
    workflow_id: fields.id ?? 'wf-1',
    web_url: 'http://localhost:8233',
  }) as Execution;

const task = (id: string, name: string, status = 'succeeded', ref = 'core.local') => execution({ id, runner: 'local-shell-cmd', task: name, status, action: { ref } });

describe(workflowReport.name, () => {
  it("prints a TypeScript workflow's return value as YAML, then its tasks; a failure's message on stderr", () => {
    const flow = execution({ runner: 'temporal-workflow', result: { used: 35, remediation: 'nothing to do' } });
    expect(workflowReport(flow, [task('c-1', 'diagnose')])).toEqual({
      out: ['remediation: nothing to do', 'used: 35', '', 'task      action      status     execution', '--------  ----------  ---------  ---------', 'diagnose  core.local  succeeded  c-1'].join('\n'),
    });
    const failed = execution({ runner: 'temporal-workflow', status: 'failed', result: { error: 'core.local failed (execution c-1): exit code 3' } });
    const report = workflowReport(failed, [task('c-1', 'diagnose', 'failed')]);
    expect(report.out).toBe(['task      action      status  execution', '--------  ----------  ------  ---------', 'diagnose  core.local  failed  c-1'].join('\n'));
    expect(report.err).toBe(['examples.flow failed (execution wf-1)', 'task  type   message', '----  -----  ----------------------------------------------', '      error  core.local failed (execution c-1): exit code 3'].join('\n'));
  });

  it("prints a succeeded Orquesta workflow's output as YAML (keys sorted), then its tasks, and nothing on stderr", () => {
    const flow = execution({ runner: 'orquesta', result: { output: { messages: ['Fee fi fo fum', 'I smell the blood'], count: 2 } } });
    const report = workflowReport(flow, [task('c-1', 'task1', 'succeeded', 'core.noop'), task('c-2', 'task2', 'succeeded', 'core.echo')]);
    expect(report.err).toBeUndefined();
    expect(report.out).toBe(
      [
        'output:',
        '  count: 2',
        '  messages:',
        '    - Fee fi fo fum',
        '    - I smell the blood',
        '',
        'task   action     status     execution',
        '-----  ---------  ---------  ---------',
        'task1  core.noop  succeeded  c-1',
        'task2  core.echo  succeeded  c-2',
      ].join('\n'),
    );
  });

  it("prints an ActionChain's published values, not every task's full result, and no empty `published`", () => {
    const chain = execution({ runner: 'action-chain', result: { tasks: [{ name: 'c1', state: 'succeeded', result: { stdout: 'a very long output' } }], published: { greeting: 'hello' } } });
    const report = workflowReport(chain, [task('c-1', 'c1')]);
    expect(report.out).toMatch(/^published:\n {2}greeting: hello\n\ntask {2}action/);
    expect(report.out).not.toContain('a very long output');
    const quiet = execution({ runner: 'action-chain', result: { tasks: [{ name: 'c1', state: 'succeeded' }], published: {} } });
    expect(workflowReport(quiet, [task('c-1', 'c1')]).out).toMatch(/^task {2}action/);
  });

  it("prints a failed Orquesta workflow's errors on stderr: task, type, message, with the task's exit code and stderr", () => {
    const flow = execution({
      runner: 'orquesta',
      status: 'failed',
      result: {
        output: null,
        errors: [
          { type: 'error', message: 'Execution failed. See result for details.', task_id: 'check', result: { return_code: 1, stdout: '', stderr: 'warming up\nno such file\n' } },
          { type: 'YaqlEvaluationException', message: 'Unable to resolve key "x" in expression "<% ctx().x %>" from context.', task_id: 'publish' },
        ],
      },
    });
    const report = workflowReport(flow, [task('c-1', 'check', 'failed')]);
    expect(report.out).toBe('task   action      status  execution\n-----  ----------  ------  ---------\ncheck  core.local  failed  c-1');
    expect(report.err).toBe(
      [
        'examples.flow failed (execution wf-1)',
        'task     type                     message',
        `-------  -----------------------  ${'-'.repeat(69)}`,
        'check    error                    Execution failed. See result for details. (exit code 1: no such file)',
        'publish  YaqlEvaluationException  Unable to resolve key "x" in expression "<% ctx().x %>" from context.',
      ].join('\n'),
    );
  });

  it("prints a failed ActionChain's failed tasks and its error", () => {
    const chain = execution({
      runner: 'action-chain',
      status: 'failed',
      result: { tasks: [{ name: 'c1', state: 'succeeded' }, { name: 'c2', state: 'failed', result: { return_code: 1, stderr: 'all aboard the fail boat\n' } }], published: {}, error: 'Task "c2" ended failed.' },
    });
    const report = workflowReport(chain, [task('c-1', 'c1'), task('c-2', 'c2', 'failed')]);
    expect(report.err).toMatch(/\nc2\s+failed\s+task failed \(exit code 1: all aboard the fail boat\)\n\s+error\s+Task "c2" ended failed\.$/);
  });

  it('prints why a workflow that could not start failed, and a canceled one\'s unfinished tasks', () => {
    expect(workflowReport(execution({ runner: 'orquesta', status: 'failed', result: { error: 'secret parameters (token) cannot be given to a workflow yet' } }), []).err).toMatch(
      /\n\s+error\s+secret parameters \(token\) cannot be given to a workflow yet$/,
    );
    expect(workflowReport(execution({ runner: 'action-chain', status: 'canceled', result: null }), [task('c-1', 'wait', 'canceled')]).err).toMatch(/\nwait\s+canceled\s+execution c-1$/);
  });
});
