import { resolve } from 'node:path';
import { details, table } from '../format';
import { UsageError } from '../parameters';
import { emit, type CommandContext } from './context';

export async function actionCommand(context: CommandContext, [sub, ref]: string[], options: { pack?: string }): Promise<number> {
  switch (sub) {
    case 'list': {
      const actions = await context.client.listActions(options.pack);
      emit(context, actions, () => table(['ref', 'runner', 'enabled', 'description'], actions.map((a) => [a.ref, a.runner_type, String(a.enabled), a.description])));
      return 0;
    }
    case 'get': {
      if (!ref) throw new UsageError('tempest action get <ref>');
      const action = await context.client.getAction(ref);
      emit(context, action, () =>
        details([['ref', action.ref], ['runner', action.runner_type], ['enabled', action.enabled], ['description', action.description], ['entry point', action.entry_point], ['parameters', action.parameters]]),
      );
      return 0;
    }
    case 'enable':
    case 'disable': {
      if (!ref) throw new UsageError(`tempest action ${sub} <ref>`);
      const action = await context.client.setActionEnabled(ref, sub === 'enable');
      emit(context, action, () => `${action.ref}: ${action.enabled ? 'enabled' : 'disabled'}`);
      return 0;
    }
    default:
      throw new UsageError('tempest action list|get|enable|disable');
  }
}

export async function packCommand(context: CommandContext, [sub, ref]: string[]): Promise<number> {
  switch (sub) {
    case 'list': {
      const packs = await context.client.listPacks();
      emit(context, packs, () => table(['ref', 'version', 'description'], packs.map((p) => [p.ref, p.version, p.description])));
      return 0;
    }
    case 'get': {
      if (!ref) throw new UsageError('tempest pack get <ref>');
      const pack = await context.client.getPack(ref);
      emit(context, pack, () => details([['ref', pack.ref], ['version', pack.version], ['author', pack.author], ['description', pack.description], ['keywords', pack.keywords]]));
      return 0;
    }
    case 'install': {
      if (!ref) throw new UsageError('tempest pack install <folder | git URL>[=<branch, tag or commit>]');
      // `<url>=<ref>` as StackStorm's CLI writes it; a local folder takes no ref.
      const eq = ref.lastIndexOf('=');
      const [source, version] = eq > 0 && !ref.startsWith('/') ? [ref.slice(0, eq), ref.slice(eq + 1)] : [ref, undefined];
      const installed = await context.client.installPack(source.startsWith('.') ? resolve(source) : source, version);
      emit(context, installed, () =>
        [
          `${installed.ref}: installed (${installed.outcome}); actions ${installed.actions.created.length} new, ${installed.actions.updated.length} updated, ${installed.actions.removed.length} removed`,
          ...installed.warnings.map((warning) => `registered, fails when run: ${warning}`),
        ].join('\n'),
      );
      return 0;
    }
    case 'remove': {
      if (!ref) throw new UsageError('tempest pack remove <ref>');
      await context.client.removePack(ref);
      emit(context, { ref, removed: true }, () => `${ref}: removed`);
      return 0;
    }
    case 'register': {
      const report = await context.client.registerPacks();
      emit(context, report, () =>
        [
          ...report.packs.flatMap((p) => [`${p.ref}: ${p.outcome}; actions ${p.actions.created.length} new, ${p.actions.updated.length} updated, ${p.actions.removed.length} removed`, ...p.warnings.map((warning) => `registered, fails when run: ${warning}`)]),
          ...report.problems.map((problem) => `skipped: ${problem}`),
        ].join('\n'),
      );
      return report.problems.length > 0 ? 1 : 0;
    }
    default:
      throw new UsageError('tempest pack list|get|install|remove|register');
  }
}
