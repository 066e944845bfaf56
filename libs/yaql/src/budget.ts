// Expressions come from workflow definitions and run inside a workflow task,
// so each evaluation gets a budget: past it, it fails with a YaqlBudgetError
// naming the limit, instead of hanging the task or filling its heap.
import { YaqlBudgetError } from './errors';

export interface BudgetLimits {
  /** Nodes evaluated plus items produced or consumed by queries. */
  maxSteps: number;
  /** Characters plus list items the evaluation may create, all values together. */
  maxAllocation: number;
}

export const DEFAULT_LIMITS: BudgetLimits = { maxSteps: 1_000_000, maxAllocation: 16_000_000 };

export class Budget {
  private steps = 0;
  private allocated = 0;
  constructor(private readonly limits: BudgetLimits = DEFAULT_LIMITS) {}

  step(count = 1): void {
    this.steps += count;
    if (this.steps > this.limits.maxSteps) throw new YaqlBudgetError(`expression exceeds its budget of ${this.limits.maxSteps} steps`);
  }

  /** Called before a value of `size` characters or items is built, so the memory is never taken. */
  allocate(size: number): void {
    this.allocated += size;
    if (!(this.allocated <= this.limits.maxAllocation)) throw new YaqlBudgetError(`expression exceeds its budget of ${this.limits.maxAllocation} characters and items`);
  }
}
