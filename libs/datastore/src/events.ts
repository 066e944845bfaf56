/** StackStorm's built-in trigger types for datastore changes. */
export const KEY_VALUE_TRIGGERS = {
  create: 'core.st2.key_value_pair.create',
  update: 'core.st2.key_value_pair.update',
  valueChange: 'core.st2.key_value_pair.value_change',
  delete: 'core.st2.key_value_pair.delete',
} as const;

/**
 * A key as StackStorm's trigger payloads carry it (its KeyValuePairAPI). A
 * secret's `value` is its ciphertext (`encrypted: true`), never the plaintext:
 * trigger instances are stored and listed.
 */
export interface KeyValuePairObject {
  uid: string;
  name: string;
  value: string;
  secret: boolean;
  encrypted: boolean;
  scope: 'st2kv.system' | 'st2kv.user';
  user?: string;
  expire_timestamp?: string;
}

/**
 * One change, as the trigger the ingestion path dispatches: create and update
 * carry `{object}`, delete the deleted `{object}`, and value_change (emitted
 * with update when the value differs) `{old_object, new_object}`.
 */
export type KeyValueChangeEvent =
  | { trigger: typeof KEY_VALUE_TRIGGERS.create | typeof KEY_VALUE_TRIGGERS.update | typeof KEY_VALUE_TRIGGERS.delete; payload: { object: KeyValuePairObject } }
  | { trigger: typeof KEY_VALUE_TRIGGERS.valueChange; payload: { old_object: KeyValuePairObject; new_object: KeyValuePairObject } };

export type KeyValueChangeListener = (event: KeyValueChangeEvent) => void | Promise<void>;
