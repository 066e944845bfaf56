/** Pack and resource names: lowercase letters, digits, underscores (names may also use dashes). */
export const PACK_REF = /^[a-z0-9_]+$/;
export const RESOURCE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** `pack.name`, as StackStorm refers to actions, rules and triggers. */
export function toRef(pack: string, name: string): string {
  return `${pack}.${name}`;
}

/** Splits `pack.name` at the first dot; names may contain dots, packs may not. */
export function parseRef(ref: string): { pack: string; name: string } | undefined {
  const dot = ref.indexOf('.');
  if (dot <= 0 || dot === ref.length - 1) return undefined;
  const pack = ref.slice(0, dot);
  const name = ref.slice(dot + 1);
  return PACK_REF.test(pack) && RESOURCE_NAME.test(name) ? { pack, name } : undefined;
}
