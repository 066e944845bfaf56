import { details, table } from '../format';
import { UsageError } from '../parameters';
import { emit, type CommandContext } from './context';

/** `tempest policy list|get`, as StackStorm's `st2 policy`: packs' policies, which change with their pack. */
export async function policyCommand(context: CommandContext, [sub, ref]: string[], options: { pack?: string; action?: string }): Promise<number> {
  switch (sub) {
    case 'list': {
      const policies = await context.client.listPolicies({ pack: options.pack, resource_ref: options.action });
      emit(context, policies, () => table(['ref', 'action', 'type', 'enabled'], policies.map((p) => [p.ref, p.resource_ref, p.policy_type, String(p.enabled)])));
      return 0;
    }
    case 'get': {
      if (!ref) throw new UsageError('tempest policy get <ref>');
      const policy = await context.client.getPolicy(ref);
      emit(context, policy, () =>
        details([['ref', policy.ref], ['action', policy.resource_ref], ['type', policy.policy_type], ['enabled', policy.enabled], ['description', policy.description || undefined], ['parameters', policy.parameters], ['file', policy.metadata_file]]),
      );
      return 0;
    }
    default:
      throw new UsageError('tempest policy list|get');
  }
}
