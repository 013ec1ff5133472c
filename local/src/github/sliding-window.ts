/** Requests, each with a weight, inside a window of time that slides with the clock. */
export class SlidingWindow {
  readonly #entries: Array<{ readonly at: number; readonly weight: number }> = [];
  #total = 0;

  constructor(readonly spanMs: number) {}

  /** The weight counted in the window that ends at `now`. */
  total(now: number): number {
    while (this.#entries.length > 0 && this.#entries[0]!.at <= now - this.spanMs) {
      this.#total -= this.#entries.shift()!.weight;
    }
    return this.#total;
  }

  add(now: number, weight: number): void {
    this.#entries.push({ at: now, weight });
    this.#total += weight;
  }

  /** Whole seconds until `weight` more fits under `limit` (at least 1; the whole span if it never fits). */
  secondsUntilRoom(now: number, weight: number, limit: number): number {
    let total = this.total(now);
    for (const entry of this.#entries) {
      if (total + weight <= limit) break;
      total -= entry.weight;
      if (total + weight <= limit) return Math.max(1, Math.ceil((entry.at + this.spanMs - now) / 1000));
    }
    return Math.max(1, Math.ceil(this.spanMs / 1000));
  }
}
