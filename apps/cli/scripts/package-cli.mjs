#!/usr/bin/env node
// Packs the built CLI into one self-contained npm package under
// dist/apps/cli/package: a single bundled file with no workspace links, so
// `npm install -g dist/apps/cli/package` (or the .tgz `npm pack` makes of it)
// works away from the clone.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(join(repoRoot, 'package.json'));
const webpack = require('webpack');

const entry = join(repoRoot, 'dist/apps/cli/src/main.js');
const outDir = join(repoRoot, 'dist/apps/cli/package');
rmSync(outDir, { recursive: true, force: true });

const compiler = webpack({
  mode: 'production',
  target: 'node20',
  entry,
  output: { path: outDir, filename: 'tempest.js', library: { type: 'commonjs2' } },
  optimization: { minimize: false },
  devtool: false,
  // Optional native accelerators some dependencies try to load; they fall back without them.
  externals: { 'pg-native': 'commonjs pg-native', 'cpu-features': 'commonjs cpu-features' },
  ignoreWarnings: [/Critical dependency/],
  performance: { hints: false },
});

compiler.run((error, stats) => {
  compiler.close(() => undefined);
  if (error || stats.hasErrors()) {
    process.stderr.write(`packaging the CLI failed:\n${error?.message ?? stats.toString('errors-only')}\n`);
    process.exit(1);
  }
  const bundle = join(outDir, 'tempest.js');
  writeFileSync(bundle, `#!/usr/bin/env node\n${readFileSync(bundle, 'utf8')}`);
  chmodSync(bundle, 0o755);
  const cli = JSON.parse(readFileSync(join(repoRoot, 'apps/cli/package.json'), 'utf8'));
  writeFileSync(
    join(outDir, 'package.json'),
    `${JSON.stringify({ name: 'tempest-cli', version: cli.version, description: cli.description, license: 'Apache-2.0', bin: { tempest: 'tempest.js' }, engines: { node: '>=20' } }, null, 2)}\n`,
  );
  process.stdout.write(`CLI packed into ${outDir} (install it with: npm install -g ${outDir})\n`);
});
