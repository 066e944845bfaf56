/**
 * Workflow definitions already checked and parsed, by their text: a conductor
 * step would otherwise inspect the whole definition again (O(tasks) per step,
 * O(tasks²) per workflow). Holds the `size` most recently used; each caller
 * gets its own copy, so no execution can change another's definition.
 */
export class DefinitionCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly size = 256) {}

  /** The parsed definition; `parse` runs only for text not held, and what it throws is not remembered. */
  get(text: string, parse: (text: string) => T): T {
    let parsed = this.entries.get(text);
    if (parsed === undefined) parsed = parse(text);
    // Most recently used last: the first key is the one to drop.
    this.entries.delete(text);
    this.entries.set(text, parsed);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
    return structuredClone(parsed);
  }
}
