/** Pack and resource names: lowercase letters, digits, underscores (names may also use dashes). */
export const PACK_REF = /^[a-z0-9_]+$/;
export const RESOURCE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** `pack.name`, as StackStorm refers to actions, rules and triggers. */
export function toRef(pack: string, name: string): string {
  return `${pack}.${name}`;
}
