// The workflow graph as Orquesta composes it (orquesta/composers/native.py, graphing.py): tasks
// reachable from the start tasks, one transition per (task, next task, `next` entry), a barrier
// for join tasks, and the retry spec (from `retry:` or the `retry` engine command).
import { ENGINE_COMMANDS, type TaskDef, type WorkflowDef } from './definition';

export interface Transition {
  from: string;
  to: string;
  /** Index among the transitions between the same two tasks (networkx's edge key). */
  key: number;
  criteria: string[];
  /** Index of the `next` entry it comes from. */
  ref: number;
}

export interface RetrySpec {
  when?: string;
  count: unknown;
  delay?: unknown;
}

/** Next tasks of a task as Orquesta's TaskMappingSpec.get_next_tasks: (name, when, ref), sorted by name. */
export function nextTasks(def: WorkflowDef, name: string): { to: string; when?: string; ref: number }[] {
  const task = def.tasks[name];
  if (!task) return [];
  const out = task.next.flatMap((t, ref) => t.do.map((to) => ({ to, when: t.when, ref })));
  return out.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
}

export function prevTasks(def: WorkflowDef, name: string): string[] {
  const out: string[] = [];
  for (const other of Object.keys(def.tasks)) for (const next of nextTasks(def, other)) if (next.to === name) out.push(other);
  return out.sort();
}

export function startTasks(def: WorkflowDef): string[] {
  return Object.keys(def.tasks)
    .filter((name) => prevTasks(def, name).length === 0)
    .sort();
}

export const isJoinTask = (def: WorkflowDef, name: string): boolean => def.tasks[name]?.join !== undefined;
export const isSplitTask = (def: WorkflowDef, name: string): boolean => !isJoinTask(def, name) && prevTasks(def, name).length > 1;

/** Whether a task can reach itself. */
export function inCycle(def: WorkflowDef, name: string): boolean {
  const seen = new Set<string>();
  const queue = nextTasks(def, name).map((n) => n.to);
  while (queue.length) {
    const next = queue.shift()!;
    if (next === name) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...nextTasks(def, next).map((n) => n.to));
  }
  return false;
}

export class WorkflowGraph {
  readonly tasks: string[] = [];
  readonly barriers = new Map<string, '*' | number>();
  readonly retries = new Map<string, RetrySpec>();
  readonly transitions: Transition[] = [];
  private readonly cycles = new Map<string, boolean>();
  private readonly splits = new Map<string, boolean>();

  constructor(readonly def: WorkflowDef) {
    const queue = [...startTasks(def)];
    const queued = new Set<string>();
    while (queue.length) {
      const name = queue.shift()!;
      this.addTask(name);
      const task: TaskDef | undefined = def.tasks[name];
      if (task?.join !== undefined) this.barriers.set(name, task.join === 'all' ? '*' : task.join);
      if (task?.retry) this.retries.set(name, { ...task.retry });
      for (const next of nextTasks(def, name)) {
        if (next.to === 'retry') {
          this.retries.set(name, { when: next.when ?? '<% completed() %>', count: 3 });
          continue;
        }
        if (!queued.has(next.to) && (!this.tasks.includes(next.to) || !this.inCycle(next.to))) {
          queue.push(next.to);
          queued.add(next.to);
        }
        this.addTask(next.to);
        const key = this.transitions.filter((t) => t.from === name && t.to === next.to).length;
        this.transitions.push({ from: name, to: next.to, key, criteria: next.when ? [next.when] : [], ref: next.ref });
      }
    }
  }

  private addTask(name: string): void {
    if (!this.tasks.includes(name)) this.tasks.push(name);
  }

  get roots(): string[] {
    return this.tasks.filter((name) => !this.transitions.some((t) => t.to === name));
  }

  hasTask(name: string): boolean {
    return this.tasks.includes(name);
  }

  next(name: string): Transition[] {
    return this.transitions.filter((t) => t.from === name).sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  }

  prev(name: string): Transition[] {
    return this.transitions.filter((t) => t.to === name).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  }

  inCycle(name: string): boolean {
    if (!this.cycles.has(name)) this.cycles.set(name, !ENGINE_COMMANDS.includes(name) && inCycle(this.def, name));
    return this.cycles.get(name)!;
  }

  isSplit(name: string): boolean {
    if (!this.splits.has(name)) this.splits.set(name, isSplitTask(this.def, name));
    return this.splits.get(name)!;
  }
}
