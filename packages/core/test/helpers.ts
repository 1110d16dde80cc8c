import { DistributedTimeWindow } from "../src/engine.js";
import { MemoryStore } from "../src/memory/memory-store.js";
import type { DistributedTimeWindowOptions } from "../src/options.js";
import type { WindowStore } from "../src/store.js";
import type { Window } from "../src/window.js";
import { FakeClock } from "./conformance/fake-clock.js";

/** A node on a MemoryStore with a fake clock and no timers; records what its handler got. */
export function testNode<T = unknown>(
  overrides: Partial<DistributedTimeWindowOptions<T>> = {},
  shared?: { store: WindowStore; clock: FakeClock },
) {
  const clock = shared?.clock ?? new FakeClock();
  const store = shared?.store ?? new MemoryStore({ clock: clock.now });
  const received: Window<T>[] = [];
  const tw = new DistributedTimeWindow<T>({
    name: "test",
    store,
    timeoutMs: 1000,
    autoTick: false,
    retryDelayMs: 100,
    onWindow: (w) => {
      received.push(w);
    },
    onError: (error) => {
      throw error;
    },
    ...overrides,
  });
  return { tw, store, clock, received };
}

/** Wraps a store to count calls per method. */
export function countingStore(inner: WindowStore) {
  const calls: Record<string, number> = {};
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls[String(prop)] = (calls[String(prop)] ?? 0) + 1;
        return value.apply(target, args);
      };
    },
  });
  return { store, calls };
}
