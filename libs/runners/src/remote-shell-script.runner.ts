import { randomBytes } from 'node:crypto';
import { basename, posix } from 'node:path';
import { findRunnerType, shellQuote } from '@tempest/domain';
import { resolveEntryPoint } from './entry-point';
import type { Runner } from './runner';
import { scriptArguments } from './script-arguments';
import { remoteCommand } from './ssh-command';
import { remoteEnv, runOnHosts, sudoStdin } from './ssh-runner';
import type { SftpSession } from './ssh2';

const RUNNER_PARAMETERS = findRunnerType('remote-shell-script')!.parameters;

function call(step: (done: (error?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => step((error) => (error ? reject(error) : resolve())));
}

async function upload(sftp: SftpSession, localFile: string, dir: string, remoteFile: string): Promise<void> {
  await call((done) => sftp.mkdir(dir, { mode: 0o700 }, done));
  await call((done) => sftp.fastPut(localFile, remoteFile, done));
  await call((done) => sftp.chmod(remoteFile, 0o700, done));
}

/**
 * StackStorm's remote-shell-script: the pack's script is copied over SFTP to
 * a folder of its own under `dir` on each host, made executable, and run
 * there (or in `cwd`) with the action's parameters as arguments, built as
 * local-shell-script builds them and each quoted for the remote shell. The
 * folder is removed afterwards, whatever happened.
 */
export const remoteShellScript: Runner = async (context) => {
  const p = context.parameters;
  const entry = await resolveEntryPoint(context, false);
  if ('error' in entry) return { status: 'failed', result: { error: entry.error } };
  const env = remoteEnv(context);
  if ('error' in env) return { status: 'failed', result: { error: env.error } };
  const base = typeof p.dir === 'string' && p.dir !== '' ? p.dir : '/tmp';
  const args = scriptArguments(p, context.actionParameters, RUNNER_PARAMETERS, String(p.kwarg_op ?? '--'));
  const sudo = p.sudo === true;
  return runOnHosts(context, async (host) => {
    // Unique per host and attempt: a retry never finds the previous attempt's folder.
    const dir = posix.join(base, `tempest-${context.executionId}-${randomBytes(4).toString('hex')}`);
    const script = posix.join(dir, basename(entry.file));
    try {
      try {
        await host.session.sftp((sftp) => upload(sftp, entry.file, dir, script));
      } catch (error) {
        const message = `${host.session.label}: cannot copy ${basename(entry.file)} to ${dir} (${error instanceof Error ? error.message : String(error)})`;
        return { succeeded: false, failed: true, return_code: 255, stdout: '', stderr: '', error: message };
      }
      const cwd = typeof p.cwd === 'string' && p.cwd !== '' ? p.cwd : dir;
      return await host.exec(remoteCommand([script, ...args].map(shellQuote).join(' '), { env, cwd, sudo }), sudoStdin(p));
    } finally {
      const failed = await host.cleanup(remoteCommand(`rm -rf -- ${shellQuote(dir)}`, { env: {}, sudo }), sudoStdin(p));
      if (failed) context.output.append('stderr', `${host.session.label}: could not remove ${dir}: ${failed}\n`);
    }
  });
};
