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

// Dependencies that ship only ES modules; jest (on Node 20) cannot require
// them, so swc compiles them to CommonJS like our own code.
const esmOnlyPackages = ['content-disposition'];

module.exports = (projectDir) => {
  const swc = JSON.parse(readFileSync(join(repoRoot, '.swcrc'), 'utf8'));
  return {
    displayName: relative(repoRoot, projectDir),
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts'],
    transform: { '^.+\\.(ts|js)$': ['@swc/jest', { ...swc, swcrc: false }] },
    transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper: aliases(),
    testTimeout: 60_000,
  };
};
