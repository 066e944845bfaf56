/**
 * Tempest's custom search attributes, registered on the namespace so that
 * Temporal Web can filter executions by them.
 */
export const SEARCH_ATTRIBUTES = {
  TempestActionRef: 'Keyword',
  TempestPack: 'Keyword',
  TempestUser: 'Keyword',
  TempestRule: 'Keyword',
  TempestTrigger: 'Keyword',
  TempestTriggerInstance: 'Keyword',
} as const;

export type TempestSearchAttribute = keyof typeof SEARCH_ATTRIBUTES;
