import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { pathAliases } from '../workflow-bundle';

/** One action of runner `temporal-workflow`, as registered: the workflow type its bundle registers is the action's name. */
export interface PackWorkflowEntry {
  /** The action's name: unique in its pack, so the bundle's workflow type. */
  name: string;
  /** The module, relative to the pack's actions folder. */
  entryPoint: string;
  /** The function the module exports (`default` for its default export). */
  exportName: string;
}

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs|json)$/;

/** The source files of a folder, relative to it, sorted (node_modules and dot folders left out). */
function sourceFiles(dir: string, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || skip(path)) continue;
      if (entry.isDirectory()) walk(path);
      else if (SOURCE.test(entry.name)) out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * What a pack bundle is built from besides the pack: the workflow SDK, the
 * workflow library it uses, Temporal's workflow package. Read once per process.
 */
let toolchain: string | undefined;
function toolchainFingerprint(repoRoot: string): string {
  if (toolchain) return toolchain;
  const hash = createHash('sha256');
  for (const lib of ['libs/workflow-sdk/src', 'libs/workflows/src']) {
    const dir = join(repoRoot, lib);
    for (const file of sourceFiles(dir, (path) => path.endsWith('.spec.ts') || path.endsWith(`${sep}histories`))) hash.update(`${lib}/${file}\0`).update(readFileSync(join(dir, file))).update('\0');
  }
  hash.update(readFileSync(join(repoRoot, 'node_modules/@temporalio/workflow/package.json')));
  toolchain = hash.digest('hex');
  return toolchain;
}

/**
 * The content hash of a pack's workflow code: its entries, every source file of
 * its actions folder (the modules and whatever they import from it) and the
 * toolchain. Equal hashes build equal bundles; any change makes another.
 */
export function packFingerprint(repoRoot: string, packDir: string, entries: PackWorkflowEntry[]): string {
  const hash = createHash('sha256').update(toolchainFingerprint(repoRoot)).update(JSON.stringify(entries));
  const actionsDir = join(packDir, 'actions');
  for (const file of sourceFiles(actionsDir)) hash.update(`${file}\0`).update(readFileSync(join(actionsDir, file))).update('\0');
  return hash.digest('hex').slice(0, 20);
}

/** Why an entry cannot be bundled (its module is not a file of the pack's actions folder), or undefined. */
export function entryProblem(packDir: string, pack: string, entry: PackWorkflowEntry): string | undefined {
  const actionsDir = resolve(packDir, 'actions');
  const file = resolve(actionsDir, entry.entryPoint);
  if (!file.startsWith(actionsDir + sep)) return `entry_point "${entry.entryPoint}" of ${pack}.${entry.name} must name a file inside the pack's actions folder`;
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return `${pack}.${entry.name}: no module actions/${entry.entryPoint} in pack ${pack} on this worker`;
  return undefined;
}

/** The bundle's entry module: one workflow per action, named as the action, each the function its module exports. */
export function packIndexSource(packDir: string, pack: string, entries: PackWorkflowEntry[]): string {
  // Action names are identifiers starting with a letter (the pack loader checks): these underscored names cannot clash.
  const lines = ["import { packWorkflowFunction as __entry } from '@tempest/workflow-sdk';"];
  entries.forEach((entry, i) => {
    const file = resolve(packDir, 'actions', entry.entryPoint);
    lines.push(`import * as __m${i} from ${JSON.stringify(file)};`);
    lines.push(`export const ${entry.name} = __entry(__m${i}, ${JSON.stringify(entry.exportName)}, ${JSON.stringify(`${pack}/actions/${entry.entryPoint}`)});`);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * Bundles a pack's workflows for the Temporal sandbox from `indexFile` (see
 * packIndexSource): the pack's TypeScript compiled as the worker's own, with
 * Tempest's libs and the repository's node_modules resolvable from the pack's
 * folder wherever it is. Rejects with webpack's message on a build error.
 */
export async function bundlePackWorkflows(repoRoot: string, indexFile: string): Promise<string> {
  // Webpack's errors go to the logger, the rejection says only that there were some: keep them for the message.
  const errors: string[] = [];
  const logger = new DefaultLogger('WARN', ({ level, message, meta }) => {
    if (level === 'ERROR') errors.push([message, ...Object.values(meta ?? {}).filter((v) => typeof v === 'string')].join(' '));
  });
  try {
    return await bundle(repoRoot, indexFile, logger);
  } catch (error) {
    throw new Error(errors.length > 0 ? webpackErrors(errors.join('\n')) : error instanceof Error ? error.message : String(error));
  }
}

/** Webpack's `ERROR in <module>` paragraphs, without its module statistics and stack frames. */
function webpackErrors(text: string): string {
  const from = text.indexOf('ERROR in');
  return (from >= 0 ? text.slice(from) : text)
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .join('\n')
    .trim();
}

async function bundle(repoRoot: string, indexFile: string, logger: DefaultLogger): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: indexFile,
    logger,
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        alias: { ...config.resolve?.alias, ...pathAliases(repoRoot) },
        modules: ['node_modules', join(repoRoot, 'node_modules')],
      },
    }),
  });
  return code;
}
