import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicies } from './policy-loader';
import { formatProblem } from './yaml-file';

async function load(files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'tempest-policies-'));
  const dir = join(root, 'packs', 'ops');
  mkdirSync(join(dir, 'policies'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'policies', name), text);
  const { policies, problems } = await loadPolicies(dir, 'ops', ['ops.restart'], root);
  return { policies, problems: problems.map(formatProblem) };
}

describe(loadPolicies.name, () => {
  it('loads a StackStorm action.retry policy', async () => {
    const yaml = 'name: restart.retry\nresource_ref: ops.restart\npolicy_type: action.retry\nparameters:\n  retry_on: timeout\n  max_retry_count: 3\n  delay: 5\n';
    expect(await load({ 'retry.yaml': yaml })).toEqual({
      policies: [{ name: 'restart.retry', actionRef: 'ops.restart', retry: { retryOn: 'timeout', maxRetryCount: 3, delaySeconds: 5 } }],
      problems: [],
    });
  });

  it('loads StackStorm action.concurrency (delay by default) and action.concurrency.attr policies, with their refs', async () => {
    const { policies, problems } = await load({
      'a.yaml': 'name: restart.concurrency\nresource_ref: ops.restart\npolicy_type: action.concurrency\nparameters:\n  threshold: 2\n',
      'b.yaml': 'name: restart.per_host\nresource_ref: ops.restart\npolicy_type: action.concurrency.attr\nparameters:\n  threshold: 1\n  action: cancel\n  attributes: [host]\n',
    });
    expect(problems).toEqual([]);
    expect(policies).toEqual([
      { name: 'restart.concurrency', actionRef: 'ops.restart', concurrency: { ref: 'ops.restart.concurrency', type: 'action.concurrency', threshold: 2, action: 'delay' } },
      { name: 'restart.per_host', actionRef: 'ops.restart', concurrency: { ref: 'ops.restart.per_host', type: 'action.concurrency.attr', threshold: 1, action: 'cancel', attributes: ['host'] } },
    ]);
  });

  it('refuses a concurrency policy without a threshold, with an unknown action, or .attr without attributes, naming the parameter', async () => {
    const { problems } = await load({
      'a.yaml': 'name: a\nresource_ref: ops.restart\npolicy_type: action.concurrency\n',
      'b.yaml': 'name: b\nresource_ref: ops.restart\npolicy_type: action.concurrency\nparameters:\n  threshold: 1\n  action: drop\n',
      'c.yaml': 'name: c\nresource_ref: ops.restart\npolicy_type: action.concurrency.attr\nparameters:\n  threshold: 1\n',
    });
    expect(problems).toEqual([
      'packs/ops/policies/a.yaml:1: parameters.threshold: required: a whole number',
      'packs/ops/policies/b.yaml:6: parameters.action: expected delay or cancel',
      'packs/ops/policies/c.yaml:5: parameters.attributes: expected a list of parameter names',
    ]);
  });

  it('reports what it cannot apply, with file, line and field', async () => {
    const { problems } = await load({
      'a.yaml': 'name: a\nresource_ref: ops.restart\npolicy_type: action.timeout\n',
      'b.yaml': 'name: b\nresource_ref: ops.other\npolicy_type: action.retry\nparameters: {retry_on: failure}\n',
      'c.yaml': 'name: c\nresource_ref: ops.restart\npolicy_type: action.retry\nparameters:\n  retry_on: sometimes\n',
    });
    expect(problems).toEqual([
      'packs/ops/policies/a.yaml:3: policy_type: "action.timeout" is not supported by Tempest yet (supported: action.retry, action.concurrency, action.concurrency.attr)',
      'packs/ops/policies/b.yaml:2: resource_ref: no action "ops.other" in pack "ops"',
      'packs/ops/policies/c.yaml:5: parameters.retry_on: expected failure or timeout',
    ]);
  });

  it('keeps every valid policy as written, disabled ones too, for the API to show', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tempest-policies-'));
    const dir = join(root, 'packs', 'ops');
    mkdirSync(join(dir, 'policies'), { recursive: true });
    writeFileSync(join(dir, 'policies', 'retry.yaml'), 'name: restart.retry\ndescription: Again on timeout\nresource_ref: ops.restart\npolicy_type: action.retry\nparameters:\n  retry_on: timeout\n');
    writeFileSync(join(dir, 'policies', 'limit.yml'), 'name: restart.limit\nenabled: false\nresource_ref: ops.restart\npolicy_type: action.concurrency\nparameters:\n  threshold: 1\n');
    const { policies, records } = await loadPolicies(dir, 'ops', ['ops.restart'], root);
    expect(policies.map((p) => p.name)).toEqual(['restart.retry']);
    expect(records).toEqual([
      { ref: 'ops.restart.limit', pack: 'ops', name: 'restart.limit', description: '', enabled: false, resourceRef: 'ops.restart', policyType: 'action.concurrency', parameters: { threshold: 1 }, metadataFile: 'policies/limit.yml' },
      { ref: 'ops.restart.retry', pack: 'ops', name: 'restart.retry', description: 'Again on timeout', enabled: true, resourceRef: 'ops.restart', policyType: 'action.retry', parameters: { retry_on: 'timeout' }, metadataFile: 'policies/retry.yaml' },
    ]);
  });
});
