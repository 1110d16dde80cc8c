import { type Progress, progressLine, windowLine } from "./render.js";
import type { DeliveredWindow } from "./summary.js";

/** Where the demo writes: `process.stdout`, or a buffer in tests. */
export interface DemoOutput {
  write(text: string): void;
  /** A terminal gets one progress line redrawn in place; anything else a line every 2 s. */
  readonly isTTY?: boolean;
}

/** Print the first windows of each stream, then one in `EVERY`, so fast streams do not flood. */
const FIRST = 8;
const EVERY = 20;
export const SAMPLING = `the first ${FIRST} of each stream, then every ${EVERY}th`;
const CLEAR_LINE = "\r\u001b[K";
export const REDRAW_MS = { tty: 100, plain: 2000 } as const;

/** The live part of the output: sampled window lines and the progress line. */
export class LiveView {
  readonly #output: DemoOutput;
  readonly #quiet: boolean;
  readonly #startAt: number;
  readonly #seen = new Map<string, number>();
  #progress = "";

  constructor(output: DemoOutput, quiet: boolean, startAt: number) {
    this.#output = output;
    this.#quiet = quiet;
    this.#startAt = startAt;
  }

  window(w: DeliveredWindow): void {
    if (this.#quiet) return;
    const n = (this.#seen.get(w.stream) ?? 0) + 1;
    this.#seen.set(w.stream, n);
    if (n > FIRST && n % EVERY !== 0) return;
    const line = `${windowLine(w, this.#startAt)}${n > FIRST ? `  (#${n})` : ""}`;
    if (this.#output.isTTY) this.#output.write(`${CLEAR_LINE}${line}\n${this.#progress}`);
    else this.#output.write(`${line}\n`);
  }

  progress(p: Progress): void {
    this.#progress = progressLine(p);
    if (this.#output.isTTY) this.#output.write(`${CLEAR_LINE}${this.#progress}`);
    else this.#output.write(`[progress] ${this.#progress}\n`);
  }

  /** Leaves the last progress line in place and moves below it. */
  end(): void {
    if (this.#output.isTTY && this.#progress) this.#output.write("\n");
  }
}
