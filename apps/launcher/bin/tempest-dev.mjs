#!/usr/bin/env node
// Entry point of `npm start` and `npm test` on a fresh clone. Uses nothing but
// Node: installs dependencies when missing or stale, builds (Nx caches it, so a
// warm run takes seconds), then hands over to the compiled launcher.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTALL_ARGS } from './install-args.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const mode = process.argv[2];
const say = (line) => process.stdout.write(`tempest: ${line}\n`);
const die = (line) => {
  process.stderr.write(`tempest: ${line}\n`);
  process.exit(1);
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) die(`Node ${process.versions.node} is too old: Tempest needs Node 20.19 or newer`);
if (mode !== 'start' && mode !== 'test') die('usage: tempest-dev.mjs start|test');

function run(command, args, what) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
  if (result.status !== 0) die(`${what} failed (${command} ${args.join(' ')} exited with ${result.status ?? result.signal}); see the output above`);
}

// Dependencies: reinstall whenever package-lock.json changed since the last install.
const lock = join(repoRoot, 'package-lock.json');
const stamp = join(repoRoot, 'node_modules', '.tempest-install-stamp');
const lockHash = () => createHash('sha256').update(readFileSync(lock)).digest('hex');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash()) {
  say('installing dependencies (npm install from package-lock.json)...');
  run('npm', INSTALL_ARGS, 'installing dependencies');
  writeFileSync(stamp, lockHash());
}

say('building (cached after the first run)...');
run(join(repoRoot, 'node_modules', '.bin', 'nx'), ['run-many', '-t', 'build', '--output-style=stream-without-prefixes', '--skip-nx-cache=false'], 'building');

const require = createRequire(import.meta.url);
const { main } = require(join(repoRoot, 'dist/apps/launcher/src/main.js'));
main(mode, repoRoot).then(
  (code) => process.exit(code),
  (error) => die(error instanceof Error ? error.message : String(error)),
);
