/**
 * Whether GET …/output is asked for as StackStorm's client asks (`st2 execution tail` of a
 * finished execution): its API answers the output as text, and st2client prints the body
 * as it comes, sending neither an Accept naming JSON nor Tempest's `after`/`wait`.
 * Tempest's own clients send one of those (its client names application/json) and get the chunks.
 */
export function wantsOutputText(query: Record<string, unknown>, accept: string | undefined): boolean {
  if (query.output_type !== undefined) return true;
  if (query.after !== undefined || query.wait !== undefined) return false;
  return !/\bapplication\/json\b/i.test(accept ?? '');
}
