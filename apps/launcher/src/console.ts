/** Progress lines for a person at a terminal; the services themselves log JSON to files. */
export function say(line: string): void {
  process.stdout.write(`tempest: ${line}\n`);
}

export function warn(line: string): void {
  process.stderr.write(`tempest: ${line}\n`);
}

/** An expected failure: its message is the one line the user sees. */
export class LaunchError extends Error {}
