import { ConfigError, DistributedTimeWindow, StoreError, type Window } from "@dtw/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeRedisClient } from "../src/client.js";
import { redisStore } from "../src/store.js";
import { acquireRedis, type TestRedis } from "./support/redis.js";
import { TRICKY_ITEMS } from "./support/tricky.js";

let redis: TestRedis;
beforeAll(async () => {
  redis = await acquireRedis();
});
afterAll(async () => {
  await redis.cleanup();
});

/** Counts the commands the store sends through a real client. */
function counting(client: NodeRedisClient) {
  const sent: string[] = [];
  const wrapped: NodeRedisClient = {
    sendCommand: (args) => {
      sent.push(String(args[0]));
      return client.sendCommand(args);
    },
  };
  return { wrapped, sent };
}

describe("redisStore on a URL", () => {
  it("delivers windows with elements exact; close() quits the client it created", async () => {
    const prefix = redis.prefix();
    const store = redisStore(redis.url, { prefix });
    const received: Window<string>[] = [];
    const tw = new DistributedTimeWindow<string>({
      name: "orders",
      store,
      maxCount: 4,
      timeoutMs: "1 h",
      autoTick: false,
      onWindow: (w) => {
        received.push(w);
      },
    });
    await tw.pushMany([...TRICKY_ITEMS]);
    await tw.tick();
    expect(received.flatMap((w) => w.elements)).toEqual(TRICKY_ITEMS.slice(0, 24));
    expect(await tw.flush()).toEqual([TRICKY_ITEMS.slice(24)]);
    expect(await tw.stats()).toMatchObject({ open: 0, pendingElements: 0, ready: 0, inFlight: 0 });
    await tw.close();
    await store.close();
    await store.close(); // idempotent
    const error = await store.stats({ name: "orders" } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/closed/i);
  });

  it("refuses a non-redis URL without echoing it (it may hold a password)", () => {
    const run = () => redisStore("http://user:hunter2@example.com");
    expect(run).toThrow(ConfigError);
    expect(run).toThrow("Invalid url");
    expect(run).not.toThrow("hunter2");
  });

  it.each([
    [{ connectTimeoutMs: 0 }, "connectTimeoutMs"],
    [{ commandTimeoutMs: Number.NaN }, "commandTimeoutMs"],
    [{ prefx: "a:" }, "prefx"],
  ])("refuses bad options %j with a ConfigError naming %s", (options, name) => {
    expect(() => redisStore(redis.url, options as never)).toThrow(`Invalid ${name}`);
  });
});

describe("redisStore on your client", () => {
  it("sends one EVALSHA per push in steady state", async () => {
    const { wrapped, sent } = counting(redis.client);
    const tw = new DistributedTimeWindow<number>({
      name: "steady",
      store: redisStore(wrapped, { prefix: redis.prefix() }),
      timeoutMs: "1 h",
      autoTick: false,
    });
    await tw.push(0); // first use may load the script (NOSCRIPT, then EVAL)
    sent.length = 0;
    for (let i = 1; i <= 20; i++) await tw.push(i);
    expect(sent).toEqual(Array(20).fill("EVALSHA"));
    expect(await tw.flush()).toEqual([Array.from({ length: 21 }, (_, i) => i)]);
  });

  it("never closes a client you passed in", async () => {
    const store = redisStore(redis.client, { prefix: redis.prefix() });
    await store.close();
    expect(redis.client.isOpen).toBe(true);
    expect(await redis.client.ping()).toBe("PONG");
  });

  it("refuses connectTimeoutMs with your own client, and non-clients", () => {
    expect(() => redisStore(redis.client, { connectTimeoutMs: 10 })).toThrow(
      "Invalid connectTimeoutMs",
    );
    expect(() => redisStore({} as never)).toThrow("Invalid urlOrClient");
  });
});
