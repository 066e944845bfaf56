// Lint rules for every project. Module boundaries carry the architecture:
// apps use libs, libs never use apps, and workflow code (bundled into
// Temporal's deterministic sandbox) may only use pure code.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const pureExternals = ['zod', 're2js', 'yaml'];
const workflowExternals = ['@temporalio/workflow', '@temporalio/common', ...pureExternals];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', '.nx/**', 'libs/client/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:pure', 'type:workflow'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:pure', 'type:workflow'] },
            { sourceTag: 'type:workflow', onlyDependOnLibsWithTags: ['type:pure', 'type:workflow'], allowedExternalImports: workflowExternals },
            { sourceTag: 'type:pure', onlyDependOnLibsWithTags: ['type:pure'], allowedExternalImports: pureExternals },
          ],
        },
      ],
    },
  },
  {
    // Temporal's bundler rejects Node built-ins at start-up; say so at lint time instead.
    files: ['libs/workflows/**/*.ts', 'libs/workflow-sdk/**/*.ts', 'libs/domain/**/*.ts', 'libs/yaql/**/*.ts', 'libs/actionchain/**/*.ts', 'libs/orquesta/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(node:.*|fs|path|os|net|http|https|child_process|crypto|dns|tls|stream|worker_threads)(/.*)?$', message: 'workflow and domain code is deterministic and does no I/O' }] }],
    },
  },
  {
    // Specs may use whatever a test needs, and so may an app's src/testing/ harness, which only its specs import;
    // the workflow sandbox rule is about production code.
    files: ['**/*.spec.ts', 'apps/*/src/testing/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
