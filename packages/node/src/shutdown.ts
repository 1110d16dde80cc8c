import type { DistributedTimeWindow } from "@dtw/core";

/** What {@link gracefulShutdown} did, passed to `onDone`. */
export interface ShutdownResult {
  /** The signal that started it. */
  readonly signal: NodeJS.Signals;
  /** `true` when every window shut down and every store closed in time, without error. */
  readonly ok: boolean;
  /** `true` when `timeoutMs` passed first. */
  readonly timedOut: boolean;
  /** Errors from `shutdown()` or `store.close()`, if any. */
  readonly errors: readonly unknown[];
}

/** Options of {@link gracefulShutdown}. */
export interface GracefulShutdownOptions {
  /**
   * Signals that start the shutdown. After the first, the listeners are removed, so a second
   * signal gets Node's default (immediate exit) unless you listen to it yourself.
   * @default ["SIGTERM", "SIGINT"]
   * @example gracefulShutdown(tw, { signals: ["SIGTERM"] })
   */
  signals?: NodeJS.Signals[];
  /**
   * Longest wait for the windows to be delivered; then the process exits with code 1. Keep it
   * below your platform's grace period (Kubernetes: 30 s, `docker stop`: 10 s).
   * @default 8000
   * @example gracefulShutdown(tw, { timeoutMs: 25_000 })
   */
  timeoutMs?: number;
  /**
   * Exit the process when done: code 0, or 1 after a timeout or an error. With `false`, the
   * process ends by itself once nothing else holds it (the SDK's timers do not).
   * @default true
   * @example gracefulShutdown(tw, { exit: false })
   */
  exit?: boolean;
  /**
   * Called once it is over, before exiting; log or flush telemetry here.
   * @default undefined
   * @example gracefulShutdown(tw, { onDone: (r) => console.log("shutdown", r.ok) })
   */
  onDone?: (result: ShutdownResult) => void | Promise<void>;
}

/**
 * Delivers every open window when the process is asked to stop: on the first signal it calls
 * `tw.shutdown()` on each instance (stop accepting pushes, close every open window, deliver
 * through `onWindow`), then `close()`s their stores (a store made by `redisStore(url)` quits its
 * client), then exits.
 *
 * @returns a function that removes the signal listeners (when you stop the windows yourself).
 * @example
 * const tw = new DistributedTimeWindow({ name: "orders", store: redisStore(url), ... });
 * gracefulShutdown(tw);
 */
// biome-ignore lint/suspicious/noExplicitAny: accepts windows of any element type
export function gracefulShutdown<W extends DistributedTimeWindow<any>>(
  windows: W | W[],
  options: GracefulShutdownOptions = {},
): () => void {
  const list = Array.isArray(windows) ? windows : [windows];
  const { signals = ["SIGTERM", "SIGINT"], timeoutMs = 8000, exit = true, onDone } = options;
  const remove = () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    void run(signal);
  };
  const run = async (signal: NodeJS.Signals) => {
    const errors: unknown[] = [];
    const work = (async () => {
      await Promise.all(list.map((tw) => tw.shutdown().catch((e: unknown) => errors.push(e))));
      const stores = new Set(list.map((tw) => tw.store));
      await Promise.all([...stores].map((s) => s.close?.().catch((e: unknown) => errors.push(e))));
      return false;
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
      timer.unref();
    });
    const timedOut = await Promise.race([work, timeout]);
    clearTimeout(timer);
    const result: ShutdownResult = {
      signal,
      ok: !timedOut && errors.length === 0,
      timedOut,
      errors,
    };
    try {
      await onDone?.(result);
    } finally {
      if (exit) process.exit(result.ok ? 0 : 1);
    }
  };
  for (const signal of signals) process.on(signal, onSignal);
  return remove;
}
