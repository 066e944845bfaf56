import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** Webpack aliases for the tsconfig path aliases, so workflow code can import libs. */
export function pathAliases(repoRoot: string): Record<string, string> {
  const { compilerOptions } = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  return Object.fromEntries(
    Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`${alias}$`, join(repoRoot, target)]),
  );
}

/** Bundles libs/workflows for the Temporal sandbox from its TypeScript sources. */
export function bundleWorkflows(repoRoot: string): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: join(repoRoot, 'libs/workflows/src/index.ts'),
    logger: new DefaultLogger('WARN'),
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...config.resolve?.alias, ...pathAliases(repoRoot) } },
    }),
  });
}

export function workflowBundlePath(repoRoot: string): string {
  return join(repoRoot, 'dist/apps/worker/workflow-bundle.js');
}
