#!/usr/bin/env node
// Compiles one project's TypeScript to dist/<project>/src with swc. Path aliases
// from tsconfig.base.json are rewritten to relative imports, so the output runs
// on plain Node with no loader. Spec files are not production code.
import { readFileSync, readdirSync, mkdirSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFileSync } from '@swc/core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function swcOptions() {
  const base = JSON.parse(readFileSync(join(repoRoot, '.swcrc'), 'utf8'));
  const { paths } = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.base.json'), 'utf8')).compilerOptions;
  return { ...base, swcrc: false, jsc: { ...base.jsc, baseUrl: repoRoot, paths } };
}

function* sources(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (path.endsWith('.ts') && !path.endsWith('.spec.ts') && !path.endsWith('.d.ts')) yield path;
  }
}

export function buildProject(projectRoot) {
  const srcDir = join(repoRoot, projectRoot, 'src');
  const outDir = join(repoRoot, 'dist', projectRoot, 'src');
  rmSync(outDir, { recursive: true, force: true });
  const options = swcOptions();
  let count = 0;
  for (const file of sources(srcDir)) {
    const out = join(outDir, relative(srcDir, file)).replace(/\.ts$/, '.js');
    const { code, map } = transformFileSync(file, { ...options, filename: file, sourceFileName: relative(dirname(out), file) });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n`);
    if (map) writeFileSync(`${out}.map`, map);
    count += 1;
  }
  return count;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const projectRoot = process.argv[2];
  if (!projectRoot) {
    console.error('usage: swc-build.mjs <project root, e.g. apps/gateway>');
    process.exit(2);
  }
  const count = buildProject(projectRoot);
  console.log(`compiled ${count} files of ${projectRoot} into dist/${projectRoot}`);
}
