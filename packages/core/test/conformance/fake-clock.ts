/** A clock the test moves by hand. Starts well inside a period so boundaries are explicit. */
export class FakeClock {
  constructor(public ms = 1_700_000_000_000) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
  /** Moves to `ms` past the start of the current `period`. */
  alignTo(period: number, offset = 0): void {
    this.ms = Math.floor(this.ms / period) * period + period + offset;
  }
}
