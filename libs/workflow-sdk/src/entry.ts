import { ApplicationFailure, TemporalFailure } from '@temporalio/workflow';
import { listenForPauses } from './pause';

type WorkflowFunction = (parameters: Record<string, unknown>) => Promise<unknown>;

/**
 * The workflow a pack's bundle registers for one action (the worker's
 * generated index calls it): the function `exportName` of the action's
 * module. What it throws fails the execution with its message (Temporal would
 * otherwise retry the workflow task forever, waiting for a fix this same
 * bundle can never receive: a changed pack is a new bundle).
 */
export function packWorkflowFunction(module: Record<string, unknown>, exportName: string, where: string): WorkflowFunction {
  return async (parameters) => {
    listenForPauses();
    const fn = module[exportName];
    if (typeof fn !== 'function') {
      const exported = Object.keys(module).filter((name) => typeof module[name] === 'function');
      throw ApplicationFailure.nonRetryable(`${where} exports no function "${exportName}" (it exports: ${exported.join(', ') || 'none'})`, 'WorkflowFunctionMissing');
    }
    try {
      return await (fn as WorkflowFunction)(parameters);
    } catch (error) {
      // Cancellation, and failures the author raised on purpose, go on as they are.
      if (error instanceof TemporalFailure) throw error;
      if (error instanceof Error) throw ApplicationFailure.nonRetryable(error.message, error.name);
      throw ApplicationFailure.nonRetryable(String(error), 'Error');
    }
  };
}
