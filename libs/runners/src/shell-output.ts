/**
 * A shell runner's stdout or stderr as StackStorm's result holds it
 * (st2common's strip_shell_chars): without the one line ending the command
 * printed last, so `result().stdout` of `echo hi` is `hi`. The output
 * streamed while it ran keeps every character.
 */
export function stripShellChars(text: string): string {
  const withoutNewline = text.endsWith('\n') ? text.slice(0, -1) : text;
  return withoutNewline.endsWith('\r') ? withoutNewline.slice(0, -1) : withoutNewline;
}

/** The result of a shell runner with its stdout and stderr stripped as StackStorm's. */
export function withShellOutput<T extends { stdout: string; stderr: string }>(result: T): T {
  return { ...result, stdout: stripShellChars(result.stdout), stderr: stripShellChars(result.stderr) };
}
