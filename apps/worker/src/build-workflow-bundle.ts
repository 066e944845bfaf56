import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { bundleWorkflows, workflowBundlePath } from './workflow-bundle';

// Build step: production workers load this prebuilt bundle instead of running webpack at start-up.
async function main() {
  const repoRoot = findRepoRoot();
  const { code } = await bundleWorkflows(repoRoot);
  const out = workflowBundlePath(repoRoot);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  process.stdout.write(`workflow bundle written to ${out} (${Math.round(code.length / 1024)} KiB)\n`);
}

main().catch((error) => {
  console.error(`building the workflow bundle failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
