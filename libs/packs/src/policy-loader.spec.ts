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

  it('reports what it cannot apply, with file, line and field', async () => {
    const { problems } = await load({
      'a.yaml': 'name: a\nresource_ref: ops.restart\npolicy_type: action.concurrency\n',
      'b.yaml': 'name: b\nresource_ref: ops.other\npolicy_type: action.retry\nparameters: {retry_on: failure}\n',
      'c.yaml': 'name: c\nresource_ref: ops.restart\npolicy_type: action.retry\nparameters:\n  retry_on: sometimes\n',
    });
    expect(problems).toEqual([
      'packs/ops/policies/a.yaml:3: policy_type: "action.concurrency" is not supported by Tempest yet (supported: action.retry)',
      'packs/ops/policies/b.yaml:2: resource_ref: no action "ops.other" in pack "ops"',
      'packs/ops/policies/c.yaml:5: parameters.retry_on: expected failure or timeout',
    ]);
  });
});
