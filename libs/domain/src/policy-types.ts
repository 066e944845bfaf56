/** A policy type as StackStorm's API shows it (policies/meta/*.yaml): what a pack's policy of it may say. */
export interface PolicyTypeDefinition {
  /** `resource_type.name`, what a policy's `policy_type` names. */
  ref: string;
  resourceType: 'action';
  name: string;
  description: string;
  /** JSON Schema of each parameter, with StackStorm's `required`. */
  parameters: Record<string, Record<string, unknown>>;
}

const concurrencyParameters = {
  threshold: { description: 'Concurrency threshold.', type: 'integer', required: true, minimum: 0 },
  action: { description: 'Which action to perform on the execution once the concurrency threshold has been reached.', type: 'string', default: 'delay', enum: ['delay', 'cancel'] },
};

/**
 * The policy types Tempest applies, described as StackStorm's are, with the
 * bounds Tempest's pack loader enforces (libs/packs policy-loader.ts).
 */
export const POLICY_TYPES: readonly PolicyTypeDefinition[] = [
  {
    ref: 'action.retry',
    resourceType: 'action',
    name: 'retry',
    description: 'Retry (re-run) failed or timed out action.',
    parameters: {
      retry_on: { type: 'string', description: 'Condition to retry on.', required: true, enum: ['failure', 'timeout'] },
      max_retry_count: { type: 'integer', description: 'Maximum number of times to retry before giving up.', required: true, minimum: 1, maximum: 100, default: 2 },
      delay: { type: 'number', description: 'Number of seconds to wait before retrying the execution.', required: false, minimum: 0, default: 0 },
    },
  },
  {
    ref: 'action.concurrency',
    resourceType: 'action',
    name: 'concurrency',
    description: 'Limits the concurrent executions for the action.',
    parameters: concurrencyParameters,
  },
  {
    ref: 'action.concurrency.attr',
    resourceType: 'action',
    name: 'concurrency.attr',
    description: 'Limits the concurrent executions for the action by attribute(s).',
    parameters: {
      ...concurrencyParameters,
      attributes: { description: 'List of attributes by which to limit the concurrency.', type: 'array', required: true, minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
    },
  },
];
