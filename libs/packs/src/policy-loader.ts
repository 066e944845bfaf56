import { basename, join } from 'node:path';
import type { PolicyRecord } from '@tempest/db';
import { z } from 'zod';
import { POLICY_TYPES, type ConcurrencyPolicy, type RetryPolicy } from '@tempest/domain';
import { readYamlFolder, type ContentProblem } from './yaml-file';

const retryParameters = z.object({
  retry_on: z.enum(['failure', 'timeout'], { error: 'expected failure or timeout' }),
  max_retry_count: z.number({ error: 'expected a whole number' }).int().min(1, 'expected at least 1').max(100, 'expected at most 100').default(2),
  delay: z.number({ error: 'expected seconds' }).min(0).default(0),
});

/** StackStorm's action.concurrency (policies/meta/concurrency.yaml); .attr adds `attributes`. */
const concurrencyParameters = z.object({
  threshold: z.number({ error: 'required: a whole number' }).int('expected a whole number').min(0, 'expected 0 or more'),
  action: z.enum(['delay', 'cancel'], { error: 'expected delay or cancel' }).default('delay'),
});
const concurrencyByAttributeParameters = concurrencyParameters.extend({
  attributes: z.array(z.string().min(1), { error: 'expected a list of parameter names' }).min(1, 'expected at least one parameter name'),
});

/** policies/*.yaml as StackStorm defines them; Tempest applies action.retry, action.concurrency and action.concurrency.attr. */
const policySchema = z.looseObject({
  name: z.string({ error: 'required' }).min(1),
  resource_ref: z.string({ error: 'required: the action the policy applies to' }).min(1),
  policy_type: z.string({ error: 'required' }),
  description: z.string().default(''),
  enabled: z.boolean().default(true),
  parameters: z.record(z.string(), z.unknown()).default({}),
});

export type LoadedPolicy = { name: string; actionRef: string } & ({ retry: RetryPolicy } | { concurrency: ConcurrencyPolicy });

const SUPPORTED = POLICY_TYPES.map((t) => t.ref);

/**
 * The pack's policies of the types Tempest applies, for its own actions.
 * Other StackStorm policy types are reported as problems rather than silently
 * ignored, since an operator relies on them. `records` are every valid policy as
 * written, disabled ones too, for the API to show.
 */
export async function loadPolicies(packDir: string, packRef: string, actionRefs: string[], displayRoot: string): Promise<{ policies: LoadedPolicy[]; records: PolicyRecord[]; problems: ContentProblem[] }> {
  const dir = join(packDir, 'policies');
  const policies: LoadedPolicy[] = [];
  const records: PolicyRecord[] = [];
  const problems: ContentProblem[] = [];
  for (const yaml of await readYamlFolder(dir, displayRoot)) {
    if (!('data' in yaml)) {
      problems.push(yaml);
      continue;
    }
    const { shown } = yaml;
    const at = (path: (string | number)[], message: string): ContentProblem => ({ file: shown, line: yaml.lineOf(path), field: path.join('.'), message });
    const parsed = policySchema.safeParse(yaml.data ?? {});
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => at(i.path as (string | number)[], i.message)));
      continue;
    }
    const policy = parsed.data;
    const record: PolicyRecord = {
      ref: `${packRef}.${policy.name}`,
      pack: packRef,
      name: policy.name,
      description: policy.description,
      enabled: policy.enabled,
      resourceRef: policy.resource_ref,
      policyType: policy.policy_type,
      parameters: policy.parameters,
      metadataFile: join('policies', basename(shown)),
    };
    if (!SUPPORTED.includes(policy.policy_type)) {
      problems.push(at(['policy_type'], `"${policy.policy_type}" is not supported by Tempest yet (supported: ${SUPPORTED.join(', ')})`));
      continue;
    }
    if (!actionRefs.includes(policy.resource_ref)) {
      problems.push(at(['resource_ref'], `no action "${policy.resource_ref}" in pack "${packRef}"`));
      continue;
    }
    if (policy.policy_type !== 'action.retry') {
      const byAttribute = policy.policy_type === 'action.concurrency.attr';
      const limit = (byAttribute ? concurrencyByAttributeParameters : concurrencyParameters).safeParse(policy.parameters);
      if (!limit.success) {
        problems.push(...limit.error.issues.map((i) => at(['parameters', ...(i.path as (string | number)[])], i.message)));
        continue;
      }
      records.push(record);
      const concurrency: ConcurrencyPolicy = { ref: record.ref, type: policy.policy_type as ConcurrencyPolicy['type'], ...limit.data };
      if (policy.enabled) policies.push({ name: policy.name, actionRef: policy.resource_ref, concurrency });
      continue;
    }
    const retry = retryParameters.safeParse(policy.parameters);
    if (!retry.success) {
      problems.push(...retry.error.issues.map((i) => at(['parameters', ...(i.path as (string | number)[])], i.message)));
      continue;
    }
    records.push(record);
    if (policy.enabled) policies.push({ name: policy.name, actionRef: policy.resource_ref, retry: { retryOn: retry.data.retry_on, maxRetryCount: retry.data.max_retry_count, delaySeconds: retry.data.delay } });
  }
  return { policies, records, problems };
}
