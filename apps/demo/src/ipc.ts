import type { Window } from "@dtw/core";
import type { DemoOptions } from "./args.js";
import type { DemoEvent, StreamName } from "./streams.js";

/** Parent → child. The Redis URL is not in here: children inherit `REDIS_URL` (it may hold a password). */
export type ParentMessage =
  | { type: "init"; node: number; options: DemoOptions; prefix: string }
  | { type: "start"; startAt: number; endAt: number }
  /** Ctrl-C in the parent: stop pushing early (then drain as usual). */
  | { type: "stop" }
  | { type: "drain"; how: "close" | "shutdown" };

/** Child → parent: the `NodeReport` calls, plus lifecycle steps. */
export type ChildMessage =
  | { type: "accepted"; stream: StreamName; events: DemoEvent[] }
  | { type: "rejected"; stream: StreamName; events: DemoEvent[]; message: string }
  | { type: "delivered"; window: Window<DemoEvent>; node: number; deliveredAt: number }
  | { type: "error"; node: number; message: string }
  | { type: Lifecycle };

/** Sent once each, in this order: connected and built; pushes done; closed or shut down. */
export type Lifecycle = "ready" | "ran" | "drained";

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
