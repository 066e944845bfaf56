import type { Execution } from '@tempest/client';
import { stringify } from 'yaml';
import { table } from './format';

type Json = Record<string, unknown>;

/** The runners whose executions are workflows: their tasks run as child executions, which hold the output. */
export const WORKFLOW_RUNNERS = new Set(['orquesta', 'action-chain', 'temporal-workflow']);

export function isWorkflow(execution: Execution): boolean {
  return WORKFLOW_RUNNERS.has(execution.action.runner_type);
}

/**
 * What `tempest run` prints when a workflow ends (it streams no output of its
 * own): on stdout its result (Orquesta's `output`, ActionChain's `published`)
 * and its tasks; on stderr, unless it succeeded, why it did not (each error's
 * task, type and message), as `st2 run` shows a workflow's result and children.
 */
export function workflowReport(execution: Execution, children: Execution[]): { out: string; err?: string } {
  const result = (isObject(execution.result) ? execution.result : {}) as Json;
  const out = [resultText(execution, result), tasksTable(children)].filter((part) => part !== '').join('\n\n');
  if (execution.status === 'succeeded') return { out };
  const errors = errorRows(execution, result, children);
  const err = [`${execution.action.ref} ${execution.status} (execution ${execution.id})`, errors.length > 0 ? table(['task', 'type', 'message'], errors) : ''].filter((p) => p !== '').join('\n');
  return { out, err };
}

/** The result users read: Orquesta's `output`, ActionChain's `published`, a TypeScript workflow's return value, as YAML. */
function resultText(execution: Execution, result: Json): string {
  if (execution.action.runner_type === 'temporal-workflow') {
    const value = execution.status === 'succeeded' ? execution.result : undefined;
    return value === undefined || value === null ? '' : stringify(value, { lineWidth: 0, sortMapEntries: true }).trimEnd();
  }
  const shown = execution.action.runner_type === 'action-chain' ? pick(result, 'published') : pick(result, 'output');
  // Keys sorted: the API's order is Postgres's (jsonb), not the definition's.
  return Object.keys(shown).length > 0 ? stringify(shown, { lineWidth: 0, sortMapEntries: true }).trimEnd() : '';
}

/** `{ key: value }`, or nothing when there is nothing to show (an ActionChain that published nothing). */
function pick(result: Json, key: string): Json {
  const value = result[key];
  if (value === undefined || value === null || (isObject(value) && Object.keys(value).length === 0)) return {};
  return { [key]: value };
}

function tasksTable(children: Execution[]): string {
  if (children.length === 0) return '';
  return table(['task', 'action', 'status', 'execution'], children.map((c) => [String(c.context.task ?? ''), c.action.ref, c.status, c.id]));
}

/**
 * One row per error: Orquesta's `errors` (`task_id`, `type`, `message`, a failed
 * task's `result`), ActionChain's failed tasks and its `error`, or the
 * workflow's own `error` when it could not start (a bad definition or input).
 */
function errorRows(execution: Execution, result: Json, children: Execution[]): string[][] {
  if (Array.isArray(result.errors)) {
    return (result.errors as Json[]).map((e) => [String(e.task_id ?? ''), String(e.type ?? 'error'), withDetail(String(e.message ?? ''), e.result)]);
  }
  const rows: string[][] = [];
  if (Array.isArray(result.tasks)) {
    for (const task of result.tasks as Json[]) {
      if (task.state !== 'succeeded') rows.push([String(task.name ?? ''), String(task.state ?? ''), withDetail(`task ${String(task.state)}`, task.result)]);
    }
  }
  if (typeof result.error === 'string') rows.push(['', 'error', result.error]);
  if (rows.length === 0) {
    // Canceled, or ended with nothing said: the tasks that did not succeed are what there is to show.
    for (const child of children.filter((c) => c.status !== 'succeeded')) rows.push([String(child.context.task ?? ''), child.status, `execution ${child.id}`]);
  }
  if (rows.length === 0 && execution.status !== 'succeeded') rows.push(['', execution.status, '']);
  return rows;
}

/** A failed task's message with what its result says: its error, or exit code and last line of stderr. */
function withDetail(message: string, taskResult: unknown): string {
  if (!isObject(taskResult)) return message;
  const r = taskResult as Json;
  if (typeof r.error === 'string') return `${message} ${firstLine(r.error)}`;
  const parts: string[] = [];
  if (typeof r.return_code === 'number') parts.push(`exit code ${r.return_code}`);
  const stderr = typeof r.stderr === 'string' ? lastLine(r.stderr) : '';
  if (stderr) parts.push(stderr);
  return parts.length > 0 ? `${message} (${parts.join(': ')})` : message;
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value);
const firstLine = (text: string) => text.split('\n')[0];
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';
