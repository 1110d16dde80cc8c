import type { StoredWindow } from "@dtw/core";

/** Per window, in order: `null` when delivered, else why it failed. */
export type SendOutcome = Error | null;

/** Pushes closed windows somewhere. Never rejects: failures are per-window outcomes. */
export interface Sink {
  send(stream: string, windows: readonly StoredWindow[]): Promise<SendOutcome[]>;
}
