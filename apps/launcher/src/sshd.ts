import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { LaunchError, say } from './console';

/** Where OpenSSH's server lives; sbin folders are often missing from a user's PATH. */
const SSHD_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];
export const SSHD_PACKAGES = ['openssh-server', 'openssh-client'];
const INSTALL = ['apt-get', 'install', '-y', '--no-install-recommends', ...SSHD_PACKAGES];
const UPDATE = ['apt-get', 'update'];

/** The sshd binary, in the usual places or on PATH. */
export function findSshd(pathVariable: string | undefined, isFile: (path: string) => boolean = existsSync): string | undefined {
  const dirs = [...SSHD_DIRS, ...(pathVariable ?? '').split(delimiter).filter((dir) => dir.startsWith('/'))];
  return dirs.map((dir) => join(dir, 'sshd')).find((file) => isFile(file));
}

export interface InstallFacts {
  isRoot: boolean;
  /** /etc/debian_version exists (Debian, Ubuntu and their kin). */
  debianLike: boolean;
  hasAptGet: boolean;
}

/** With sshd missing: install it with apt when this machine allows, else the one line to show. */
export function missingSshdPlan(facts: InstallFacts): 'install' | { error: string } {
  if (facts.isRoot && facts.debianLike && facts.hasAptGet) return 'install';
  return { error: `the SSH runner tests need OpenSSH's sshd, which is not installed: install the ${SSHD_PACKAGES[0]} package (npm test installs it by itself only as root on Debian or Ubuntu)` };
}

/** apt-get's complaint when its package lists are missing or stale, which `apt-get update` fixes. */
export function needsAptUpdate(output: string): boolean {
  return /Unable to locate package|has no installation candidate|is not available|404\s+Not Found|Failed to fetch/i.test(output);
}

function run(command: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command[0], command.slice(1), { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    child.once('error', (error) => resolve({ code: 127, output: `${output}${error.message}\n` }));
    child.once('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function failure(command: string[], output: string): LaunchError {
  const tail = output.trim().split('\n').slice(-10).join('\n');
  return new LaunchError(`installing sshd failed (${command.join(' ')}); install the ${SSHD_PACKAGES[0]} package yourself:\n${tail}`);
}

/**
 * Debian's postinst starts the ssh service (unless policy-rc.d forbids it).
 * Tests run their own sshd on a free loopback port; a system one on port 22,
 * which this install would have caused, is stopped and disabled.
 */
async function keepSystemSshdOff(env: NodeJS.ProcessEnv): Promise<void> {
  if (existsSync('/run/systemd/system')) {
    say('stopping and disabling the system ssh service the package enabled (tests run their own sshd)...');
    await run(['systemctl', 'disable', '--now', 'ssh.service', 'ssh.socket'], env);
    return;
  }
  if (existsSync('/run/sshd.pid') && existsSync('/etc/init.d/ssh')) {
    say('stopping the system ssh service the package started (tests run their own sshd)...');
    await run(['/etc/init.d/ssh', 'stop'], env);
  }
  if (existsSync('/usr/sbin/update-rc.d')) await run(['update-rc.d', 'ssh', 'disable'], env);
}

/**
 * The sshd the SSH runner tests start. Missing, it is installed with apt as
 * root on a Debian-like system (lists refreshed only if the install needs
 * it); anywhere else the caller is told which package to install.
 */
export async function provisionSshd(env: NodeJS.ProcessEnv): Promise<string> {
  const found = findSshd(env.PATH);
  if (found) return found;
  const plan = missingSshdPlan({
    isRoot: process.getuid?.() === 0,
    debianLike: existsSync('/etc/debian_version'),
    hasAptGet: findOnPath('apt-get', env.PATH) !== undefined,
  });
  if (plan !== 'install') throw new LaunchError(plan.error);
  say(`sshd not found; installing it for the SSH runner tests: ${INSTALL.join(' ')}`);
  let install = await run(INSTALL, env);
  if (install.code !== 0 && needsAptUpdate(install.output)) {
    say(`apt has no usable package lists; refreshing them: ${UPDATE.join(' ')}`);
    const update = await run(UPDATE, env);
    if (update.code !== 0) throw failure(UPDATE, update.output);
    say(`retrying: ${INSTALL.join(' ')}`);
    install = await run(INSTALL, env);
  }
  if (install.code !== 0) throw failure(INSTALL, install.output);
  await keepSystemSshdOff(env);
  const installed = findSshd(env.PATH);
  if (!installed) throw new LaunchError(`${SSHD_PACKAGES[0]} was installed but no sshd binary was found in ${SSHD_DIRS.join(', ')}`);
  say(`installed ${installed}`);
  return installed;
}

function findOnPath(name: string, pathVariable: string | undefined): string | undefined {
  return (pathVariable ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find((file) => existsSync(file));
}
