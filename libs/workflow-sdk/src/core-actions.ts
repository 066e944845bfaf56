/** What a shell action (core.local, a local-shell-script) answers, as StackStorm's runner does. */
export interface ShellResult {
  stdout: string;
  stderr: string;
  return_code: number;
  succeeded: boolean;
  failed: boolean;
}

/** Parameters every local shell action has (its runner's). */
export interface ShellParameters {
  cwd?: string;
  env?: Record<string, string>;
  sudo?: boolean;
  timeout?: number;
}

/** What core.http answers. */
export interface HttpResult {
  status_code: number;
  body: unknown;
  parsed: boolean;
  headers: Record<string, string>;
}

/** What core.ask answers once a human responded: the inquiry, with the `response`. */
export interface InquiryResult {
  schema: Record<string, unknown>;
  ttl: number;
  users: string[];
  roles: string[];
  route: string;
  response: Record<string, unknown>;
}

/**
 * The actions a workflow can call with typed parameters and result, by ref.
 * A pack adds its own by declaration merging:
 *
 *   declare module '@tempest/workflow-sdk' {
 *     interface ActionTypes { 'examples.clean_dir': { parameters: { path: string; mountpoint: string }; result: ShellResult } }
 *   }
 *
 * Any other registered action is called with untyped parameters and result.
 */
export interface ActionTypes {
  'core.local': { parameters: { cmd: string } & ShellParameters; result: ShellResult };
  'core.local_sudo': { parameters: { cmd: string } & ShellParameters; result: ShellResult };
  'core.echo': { parameters: { message: string }; result: ShellResult };
  'core.noop': { parameters: Record<string, never>; result: null };
  'core.remote': {
    parameters: { cmd: string; hosts: string; username?: string; private_key?: string; port?: number; parallel?: boolean; timeout?: number };
    result: Record<string, ShellResult & { error?: string }>;
  };
  'core.ask': {
    parameters: { schema: Record<string, unknown>; ttl?: number; users?: string[]; roles?: string[]; route?: string };
    result: InquiryResult;
  };
  'core.http': {
    parameters: { url: string; method?: string; headers?: Record<string, string>; body?: string | object; timeout?: number };
    result: HttpResult;
  };
}
