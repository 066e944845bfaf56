// Shared jest settings: swc transforms TypeScript (with decorator metadata for
// NestJS), and the tsconfig path aliases resolve to sources, so tests never
// need a build of the libs they import.
const { readFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const repoRoot = join(__dirname, '..');

function aliases() {
  const { paths } = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.base.json'), 'utf8')).compilerOptions;
  return Object.fromEntries(
    Object.entries(paths).map(([alias, [target]]) => [`^${alias}$`, join(repoRoot, target)]),
  );
}

module.exports = (projectDir) => {
  const swc = JSON.parse(readFileSync(join(repoRoot, '.swcrc'), 'utf8'));
  return {
    displayName: relative(repoRoot, projectDir),
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts'],
    transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper: aliases(),
    testTimeout: 60_000,
  };
};
