/** A cancellable one-shot timer; injectable so that the engine never touches runtime APIs directly. */
export interface Timers {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

/**
 * `setTimeout` that does not keep a Node/Bun/Deno process alive (`unref` where the runtime has
 * it; browsers and Workers have nothing to unref).
 */
export const defaultTimers: Timers = {
  set(callback, delayMs) {
    const handle = setTimeout(callback, delayMs) as unknown as { unref?: () => void };
    handle.unref?.();
    return handle;
  },
  clear(handle) {
    (clearTimeout as (handle: unknown) => void)(handle);
  },
};
