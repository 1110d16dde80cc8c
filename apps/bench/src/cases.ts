import { DistributedTimeWindow, redisStore, type WindowStore } from "@dtw/node";
import { upstashStore } from "@dtw/upstash";
import { Redis } from "@upstash/redis";
import { createClient } from "redis";
import type { GatewayHandle } from "./gateway.js";
import { type BenchEvent, event, eventJson } from "./payload.js";

export type Target = "tcp" | "upstash";
export type Approach = "dtw" | "raw" | "seed";

export const APPROACH_LABEL: Record<Approach, string> = {
  dtw: "DistributedTimeWindow.push",
  raw: "raw RPUSH",
  seed: "seed: RPUSH + ZADD",
};

/** A case ready to run: `push(i)` is one timed operation. */
export interface Prepared {
  push(index: number): Promise<unknown>;
  /** `true` when the client sends only script calls (EVALSHA/EVAL); see `commandstats.ts`. */
  readonly scriptsOnly: boolean;
  /** SDK cases: store calls so far, by method (each is one script call, one round trip). */
  storeCalls?(): Record<string, number>;
  /**
   * Stops and cleans up; returns a problem found on the way (e.g. elements pushed but not
   * delivered), which makes the figures meaningless.
   */
  finish(pushed: number): Promise<string | undefined>;
}

export interface CaseContext {
  readonly redisUrl: string;
  readonly gateway: GatewayHandle | undefined;
  /** Unique per case; every key the case writes starts with it (the runner deletes them). */
  readonly prefix: string;
}

/** Windows of up to 1,000 elements or 1 s; every window is delivered to a no-op handler. */
const WINDOW = { maxCount: 1_000, timeoutMs: 1_000 } as const;

export async function prepare(
  target: Target,
  approach: Approach,
  ctx: CaseContext,
): Promise<Prepared> {
  if (approach === "dtw") return prepareWindow(target, ctx);
  if (target === "upstash") {
    const redis = upstashClient(ctx);
    const key = `${ctx.prefix}raw`;
    if (approach === "raw") {
      return {
        push: (i) => redis.rpush(key, eventJson(i)),
        scriptsOnly: false,
        finish: async () => undefined,
      };
    }
    throw new Error("the seed reference runs on tcp only");
  }
  const client = createClient({ url: ctx.redisUrl });
  client.on("error", () => {}); // failures surface as rejected commands
  await client.connect();
  const finish = async () => {
    await client.close();
    return undefined;
  };
  if (approach === "raw") {
    const key = `${ctx.prefix}raw`;
    return { push: (i) => client.rPush(key, eventJson(i)), scriptsOnly: false, finish };
  }
  // The seed README's path: the element into the bucket's accumulator (RPUSH), then the bucket
  // into the sorted set (ZADD): two round trips per push, one after the other.
  return {
    push: async (i) => {
      const bucket = Math.floor(Date.now() / WINDOW.timeoutMs) * WINDOW.timeoutMs;
      await client.rPush(`${ctx.prefix}acc:${bucket}`, eventJson(i));
      await client.zAdd(`${ctx.prefix}buckets`, { score: bucket, value: `acc:${bucket}` });
    },
    scriptsOnly: false,
    finish,
  };
}

function upstashClient(ctx: CaseContext): Redis {
  if (!ctx.gateway) throw new Error("no gateway running");
  return new Redis({ url: ctx.gateway.url, token: ctx.gateway.token });
}

async function prepareWindow(target: Target, ctx: CaseContext): Promise<Prepared> {
  const { store, calls } = counting(
    target === "tcp"
      ? redisStore(ctx.redisUrl, { prefix: ctx.prefix })
      : upstashStore(upstashClient(ctx), { prefix: ctx.prefix }),
  );
  let delivered = 0;
  const tw = new DistributedTimeWindow<BenchEvent>({
    name: "bench",
    store,
    ...WINDOW,
    onWindow: (w) => {
      delivered += w.elements.length;
    },
  });
  return {
    push: (i) => tw.push(event(i)),
    scriptsOnly: true,
    storeCalls: () => ({ ...calls }),
    async finish(pushed) {
      await tw.shutdown(); // closes every open window and delivers it
      await store.close?.();
      return delivered === pushed
        ? undefined
        : `pushed ${pushed} elements but ${delivered} were delivered`;
    },
  };
}

/**
 * Counts the engine's calls per store method, to tell the push path (`append`) from delivery
 * (`claim`, `ack`, `closeDue`, `nextWakeup` of the timer). Methods run on the real store (its
 * private fields need the real `this`).
 */
function counting(real: WindowStore): { store: WindowStore; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const store = new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string") return value;
      return (...args: unknown[]) => {
        calls[property] = (calls[property] ?? 0) + 1;
        return value.apply(target, args);
      };
    },
  });
  return { store, calls };
}
