/** JSON types a parameter may declare, as in StackStorm's action metadata. */
export const PARAMETER_TYPES = ['string', 'integer', 'number', 'boolean', 'array', 'object', 'null'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/**
 * One parameter: JSON schema plus StackStorm's extensions (`required` on the
 * parameter itself, `secret`, `immutable`, `position`).
 */
export interface ParameterSpec {
  type?: ParameterType | ParameterType[];
  description?: string;
  required?: boolean;
  default?: unknown;
  enum?: unknown[];
  secret?: boolean;
  immutable?: boolean;
  /** Position of the value among a script's positional arguments. */
  position?: number;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: ParameterSpec;
  properties?: Record<string, ParameterSpec>;
  additionalProperties?: boolean | ParameterSpec;
}

export type ParameterSpecs = Record<string, ParameterSpec>;

/** The fields an action may override on one of its runner's parameters, as StackStorm allows. */
export const OVERRIDABLE_RUNNER_FIELDS = ['default', 'enum', 'immutable', 'required', 'description', 'secret'] as const;

/** StackStorm's action.retry policy: run again when the outcome is `retryOn`. */
export interface RetryPolicy {
  retryOn: 'failure' | 'timeout';
  maxRetryCount: number;
  delaySeconds: number;
}

/**
 * StackStorm's action.concurrency, and action.concurrency.attr with
 * `attributes`: at most `threshold` runs of the action at once (per value of
 * those parameters); one more is delayed until a run ends, or canceled.
 */
export interface ConcurrencyPolicy {
  /** The policy's ref (pack.name), named in the result of a run it canceled. */
  ref: string;
  type: 'action.concurrency' | 'action.concurrency.attr';
  threshold: number;
  action: 'delay' | 'cancel';
  /** action.concurrency.attr: the parameters whose values are counted apart. */
  attributes?: string[];
}
