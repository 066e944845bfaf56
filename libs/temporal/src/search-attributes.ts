import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

const keyword = (name: string) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD);

const KEYS = {
  actionRef: keyword('TempestActionRef'),
  pack: keyword('TempestPack'),
  user: keyword('TempestUser'),
  rule: keyword('TempestRule'),
  trigger: keyword('TempestTrigger'),
  triggerInstance: keyword('TempestTriggerInstance'),
};

export type ExecutionAttributes = Partial<Record<keyof typeof KEYS, string>>;

/** The search attributes of an execution's workflow, so Temporal Web can filter on them. */
export function executionSearchAttributes(attributes: ExecutionAttributes): SearchAttributePair[] {
  return Object.entries(attributes)
    .filter((entry): entry is [keyof typeof KEYS, string] => typeof entry[1] === 'string' && entry[1] !== '')
    .map(([name, value]) => ({ key: KEYS[name], value }));
}
