import { setTimeout as delay } from "node:timers/promises";

/**
 * Re-reads `read()` every `intervalMs` until `done` accepts a value, which it returns; throws
 * after `timeoutMs`. Only for state owned by other processes that cannot notify us (e.g. store
 * counts while other nodes work), never as a stand-in for an event we could await.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  options: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${options.what}: ${JSON.stringify(value)}`,
      );
    }
    await delay(options.intervalMs ?? 50);
  }
}
