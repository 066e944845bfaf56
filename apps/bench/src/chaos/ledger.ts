import { existsSync, readFileSync } from 'node:fs';

/** What the ledger says of one event: the execution ids it started and ended under, in order. */
export interface LedgerEntry {
  starts: string[];
  ends: string[];
  /** Each line as `start|end <execution> <worker pid> <epoch seconds>`, for the evidence. */
  lines?: { kind: 'start' | 'end'; execution: string; pid: string; at: number }[];
}

/** Reads `start <event> <execution>` and `end <event> <execution>` lines (see chaos-pack.ts). */
export function readLedger(file: string): Map<string, LedgerEntry> {
  const entries = new Map<string, LedgerEntry>();
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  for (const line of text.split('\n')) {
    const [kind, event, execution = '', pid = '?', at = 'NaN'] = line.trim().split(/\s+/);
    if ((kind !== 'start' && kind !== 'end') || !event) continue;
    const entry = entries.get(event) ?? { starts: [], ends: [], lines: [] };
    entries.set(event, entry);
    (kind === 'start' ? entry.starts : entry.ends).push(execution);
    entry.lines?.push({ kind, execution, pid, at: Number(at) });
  }
  return entries;
}
