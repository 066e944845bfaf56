import type { Runner } from './runner';
import { runProcess } from './process-runner';

/** Only what a command needs from the worker's own environment: never the worker's secrets. */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR'];

export function baseEnv(extra: Record<string, string>, userEnv: unknown): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name]!;
  for (const [name, value] of Object.entries((userEnv as Record<string, unknown>) ?? {})) env[name] = String(value);
  return { ...env, ...extra };
}

/**
 * StackStorm's local-shell-cmd: `cmd` is a shell command written by the
 * action's author or the operator, run with bash; with `sudo` it runs as
 * root through sudo, which reads sudo_password on stdin.
 */
export const localShellCmd: Runner = async (context) => {
  const p = context.parameters;
  const cmd = String(p.cmd ?? '');
  const args = p.sudo ? ['-E', '-S', '-p', '', '--', 'bash', '-c', cmd] : ['-c', cmd];
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
  return { status, result };
};
