/** Width of one counting window; the rate is read over the last two. */
const WINDOW_MS = 250;

/**
 * Events arriving per second, counted in fixed windows: cheap enough to note
 * on every request, and it forgets a storm within half a second of its end.
 */
export class ArrivalRate {
  private windowStart = 0;
  private current = 0;
  private previous = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  note(): void {
    this.roll();
    this.current++;
  }

  perSecond(): number {
    this.roll();
    const elapsed = WINDOW_MS + (this.now() - this.windowStart);
    return ((this.previous + this.current) * 1000) / elapsed;
  }

  private roll(): void {
    const now = this.now();
    const windows = Math.floor((now - this.windowStart) / WINDOW_MS);
    if (windows <= 0) return;
    this.previous = windows === 1 ? this.current : 0;
    this.current = 0;
    this.windowStart += windows * WINDOW_MS;
  }
}
