import type { Runner } from './runner';
import { baseEnv } from './action-env';
import { runProcess } from './process-runner';
import { withShellOutput } from './shell-output';

/**
 * StackStorm's local-shell-cmd: `cmd` is a shell command written by the
 * action's author or the operator, run with bash; with `sudo` it runs as
 * root through sudo, which reads sudo_password on stdin.
 */
export const localShellCmd: Runner = async (context) => {
  const p = context.parameters;
  const cmd = String(p.cmd ?? '');
  // --norc: bash runs ~/.bashrc when its stdin is a socket (as rshd left it), and Node's pipes are sockets.
  const bash = ['--norc', '-c', cmd];
  const args = p.sudo ? ['-E', '-S', '-p', '', '--', 'bash', ...bash] : bash;
  const { status, result } = await runProcess(
    p.sudo ? 'sudo' : 'bash',
    args,
    {
      cwd: typeof p.cwd === 'string' ? p.cwd : undefined,
      env: baseEnv(context.actionEnv, p.env),
      timeoutSeconds: Number(p.timeout ?? 60),
      stdin: p.sudo && typeof p.sudo_password === 'string' ? `${p.sudo_password}\n` : undefined,
    },
    context,
  );
  return { status, result: withShellOutput(result) };
};
