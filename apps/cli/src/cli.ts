import { parseArgs } from 'node:util';
import { ApiError, TempestClient } from '@tempest/client';
import { actionCommand, packCommand } from './commands/content.commands';
import type { CommandContext } from './commands/context';
import { executionCommand } from './commands/execution.commands';
import { inquiryCommand } from './commands/inquiry.commands';
import { keyCommand } from './commands/keys.commands';
import { ruleCommand, traceCommand, triggerCommand, triggerInstanceCommand } from './commands/rule.commands';
import { runCommand } from './commands/run.command';
import { policyCommand } from './commands/policy.commands';
import { sensorCommand } from './commands/sensor.commands';
import { workflowCommand } from './commands/workflow.commands';
import { UsageError } from './parameters';
import { loadSettings } from './settings';

const USAGE = `usage: tempest <command> [--json]
  run <action ref> [name=value ...] [--async]   run an action, print its output and result
  action list [--pack P] | get <ref> | enable <ref> | disable <ref>
  execution list [--action A] [--status S] [--limit N] | get <id> | cancel <id> | pause <id> | resume <id> | re-run <id> [--tasks a,b [--reset a]] | tail <id>
  pack list | get <ref> | register              register the packs folder again (exit 1 if a pack was skipped)
  pack install <folder | git URL>[=ref] | remove <ref>
  sensor list [--pack P] | get <ref> | enable <ref> | disable <ref>   enabling takes effect without a restart
  policy list [--pack P] [--action A] | get <ref>   packs' policies (policies/*.yaml): retry, concurrency
  key list [--prefix P] [--scope system|user|all] [--decrypt] | get <name> [--decrypt]
  key set <name> <value> [--secret] [--ttl SECONDS] | delete <name>   (--scope system|user, --user U)
  rule list [--pack P] [--trigger T] [--action A] [--limit N] | get <ref> | enable <ref> | disable <ref> | delete <ref>
  rule test --rule FILE --trigger-instance FILE|ID   whether the rule matches, and its action's parameters; runs nothing
  trigger list [--pack P] | triggerinstance list [--trigger T] [--status S] | get <id> | re-emit <id>
  trace get <trace tag>                         an event's trigger instances, rule enforcements and executions
  inquiry list | get <id> | respond <id> -r '<JSON>'   questions workflows wait on (core.ask), and answering them
  workflow inspect <file> [--runner-type orquesta|action-chain]   a workflow definition's problems, FILE:LINE: task: message (exit 1 if any)
settings: TEMPEST_API_URL (default http://localhost:9101), TEMPEST_API_KEY, or $XDG_CONFIG_HOME/tempest/config.yaml`;

/** Runs one command line; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function cli(argv: string[], env: NodeJS.ProcessEnv, io: { out(text: string): void; err(text: string): void }): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        async: { type: 'boolean', default: false },
        pack: { type: 'string' },
        action: { type: 'string' },
        status: { type: 'string' },
        limit: { type: 'string' },
        prefix: { type: 'string' },
        scope: { type: 'string' },
        user: { type: 'string' },
        decrypt: { type: 'boolean' },
        secret: { type: 'boolean' },
        encrypt: { type: 'boolean' },
        ttl: { type: 'string' },
        trigger: { type: 'string' },
        rule: { type: 'string' },
        'trigger-instance': { type: 'string' },
        'runner-type': { type: 'string' },
        response: { type: 'string', short: 'r' },
        tasks: { type: 'string' },
        reset: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      io.out(USAGE);
      return command || values.help ? 0 : 2;
    }
    const settings = loadSettings(env, process.cwd());
    const context: CommandContext = {
      client: new TempestClient({ baseUrl: settings.apiUrl, apiKey: settings.apiKey, clientName: 'cli' }),
      json: values.json,
      print: io.out,
      printError: io.err,
    };
    try {
      switch (command) {
        case 'run':
          return await runCommand(context, rest, values.async);
        case 'action':
          return await actionCommand(context, rest, values);
        case 'execution':
          return await executionCommand(context, rest, values);
        case 'pack':
          return await packCommand(context, rest);
        case 'sensor':
          return await sensorCommand(context, rest, values);
        case 'policy':
          return await policyCommand(context, rest, values);
        case 'key':
          return await keyCommand(context, rest, values);
        case 'rule':
          return await ruleCommand(context, rest, values);
        case 'trigger':
          return await triggerCommand(context, rest, values);
        case 'triggerinstance':
          return await triggerInstanceCommand(context, rest, values);
        case 'trace':
          return await traceCommand(context, rest);
        case 'workflow':
          return await workflowCommand(context, rest, values);
        case 'inquiry':
          return await inquiryCommand(context, rest, values);
        default:
          throw new UsageError(`unknown command "${command}"\n${USAGE}`);
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        io.err(`tempest: ${error.message} (API key from ${settings.keySource})`);
        return 1;
      }
      throw error;
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`tempest: ${(error as Error).message}`);
      return 2;
    }
    if (error instanceof ApiError) {
      io.err(error.messages.length > 1 ? `tempest: ${error.messages.map((m) => `\n  - ${m}`).join('')}` : `tempest: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
