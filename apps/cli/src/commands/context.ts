import type { TempestClient } from '@tempest/client';

export interface CommandContext {
  client: TempestClient;
  json: boolean;
  print(text: string): void;
  printError(text: string): void;
}

/** `--json` prints the API's answer as is, for scripts; otherwise the human form. */
export function emit(context: CommandContext, value: unknown, human: () => string): void {
  context.print(context.json ? JSON.stringify(value, null, 2) : human());
}
