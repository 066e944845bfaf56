import type { Runner } from './runner';
import { remoteCommand } from './ssh-command';
import { remoteEnv, runOnHosts, sudoStdin } from './ssh-runner';

/**
 * StackStorm's remote-shell-cmd: `cmd` (written by the action's author or
 * the operator, its template values already quoted) run by the login shell
 * on every host, after `env` is exported and `cwd` entered; with `sudo`, as
 * root through sudo.
 */
export const remoteShellCmd: Runner = async (context) => {
  const p = context.parameters;
  const env = remoteEnv(context);
  if ('error' in env) return { status: 'failed', result: { error: env.error } };
  const command = remoteCommand(String(p.cmd ?? ''), { env, cwd: typeof p.cwd === 'string' && p.cwd !== '' ? p.cwd : undefined, sudo: p.sudo === true });
  return runOnHosts(context, (host) => host.exec(command, sudoStdin(p)));
};
