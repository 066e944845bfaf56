/**
 * How long a run held back by an action.concurrency policy waits before its
 * workflow asks again: 1 s, doubling, at most 10 s (StackStorm's scheduler
 * asks every 2.5 s). Each ask is a timer and an activity in the history, so
 * the cap bounds its growth during a long wait.
 */
export function delayBackoffMs(asked: number): number {
  return Math.min(1000 * 2 ** asked, 10_000);
}
