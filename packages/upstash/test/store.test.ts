import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { ConfigError, DistributedTimeWindow, StoreError, type Window } from "@dtw/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRICKY_ITEMS } from "../../node/test/support/tricky.js";
import { UpstashTimeoutError } from "../src/channel.js";
import * as cloudflare from "../src/cloudflare.js";
import { upstashStoreFromEnv } from "../src/from-env.js";
import { upstashStore } from "../src/store.js";
import { startUpstash, type TestUpstash } from "./support/gateway.js";

let up: TestUpstash;
beforeAll(async () => {
  up = await startUpstash();
});
afterAll(async () => {
  await up.cleanup();
});

describe("upstashStore with DistributedTimeWindow", () => {
  it("delivers count windows with elements exact, one request per push", async () => {
    const received: Window<unknown>[] = [];
    const tw = new DistributedTimeWindow<unknown>({
      name: "orders",
      store: upstashStore(up.client(), { prefix: up.redis.prefix() }),
      maxCount: TRICKY_ITEMS.length,
      timeoutMs: "1 h",
      autoTick: false,
      onWindow: (w) => {
        received.push(w);
      },
    });
    // Elements whose JSON would be mangled by a parsing client: numbers past 2^53 as strings,
    // JSON-looking strings, unicode.
    const elements: unknown[] = [...TRICKY_ITEMS, 42, true, null, { a: [1, "2"] }];
    await tw.pushMany(elements.slice(0, TRICKY_ITEMS.length));
    await tw.tick();
    expect(received.map((w) => w.elements)).toEqual([TRICKY_ITEMS]);
    const before = up.events.length;
    for (const e of elements.slice(TRICKY_ITEMS.length)) await tw.push(e);
    expect(up.events.slice(before).map((e) => e.commands)).toEqual([
      ["EVALSHA"],
      ["EVALSHA"],
      ["EVALSHA"],
      ["EVALSHA"],
    ]);
    expect(await tw.flush()).toEqual([[42, true, null, { a: [1, "2"] }]]);
    await tw.close();
  });

  it("rejects a push with a StoreError keeping the cause when the REST endpoint is down", async () => {
    const tw = new DistributedTimeWindow<number>({
      name: "down",
      store: upstashStore(up.client({ url: "http://127.0.0.1:9", retry: false }), {
        prefix: up.redis.prefix(),
      }),
      timeoutMs: "1 s",
      autoTick: false,
    });
    const error = await tw.push(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).cause).toBeInstanceOf(Error);
    await tw.close();
  });

  it("rejects within commandTimeoutMs when the endpoint accepts but never answers", async () => {
    const sockets: Socket[] = [];
    const hung = createServer((socket) => {
      sockets.push(socket);
    });
    hung.listen(0, "127.0.0.1");
    await once(hung, "listening");
    const { port } = hung.address() as AddressInfo;
    const tw = new DistributedTimeWindow<number>({
      name: "hung",
      store: upstashStore(up.client({ url: `http://127.0.0.1:${port}` }), {
        prefix: up.redis.prefix(),
        commandTimeoutMs: 300,
      }),
      timeoutMs: "1 s",
      autoTick: false,
    });
    const started = performance.now();
    const error = await tw.push(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).cause).toBeInstanceOf(UpstashTimeoutError);
    expect(performance.now() - started).toBeLessThan(2000);
    for (const socket of sockets) socket.destroy();
    hung.close();
  });

  it("refuses unknown options with a ConfigError", () => {
    expect(() => upstashStore(up.client(), { prefx: "x" } as never)).toThrow("Invalid prefx");
    expect(() => upstashStore(up.client(), { commandTimeoutMs: 0 })).toThrow(
      "Invalid commandTimeoutMs: 0",
    );
  });
});

describe("upstashStoreFromEnv", () => {
  const env = () => ({
    UPSTASH_REDIS_REST_URL: up.gateway.url,
    UPSTASH_REDIS_REST_TOKEN: up.token,
  });

  it.each([
    ["the neutral entry", upstashStoreFromEnv],
    ["the cloudflare entry", cloudflare.upstashStoreFromEnv],
  ])("%s builds a working store from an env object", async (_, fromEnv) => {
    const prefix = up.redis.prefix();
    const tw = new DistributedTimeWindow<string>({
      name: "env",
      store: fromEnv(env(), { prefix }),
      timeoutMs: "1 h",
      autoTick: false,
    });
    await tw.pushMany(["a", "b"]);
    expect(await tw.flush()).toEqual([["a", "b"]]);
  });

  it("reads process.env when no env is given", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env());
    try {
      const store = upstashStoreFromEnv(undefined, { prefix: up.redis.prefix() });
      const spec = {
        name: "penv",
        strategy: "tumbling",
        maxCount: 2,
        timeoutMs: 1000,
        maxWaitMs: Number.POSITIVE_INFINITY,
      } as const;
      expect((await store.append(spec, [{ key: "", items: ["1"] }], 0)).closed).toEqual([]);
      await store.drop?.(spec);
    } finally {
      process.env = saved;
    }
  });

  it.each([
    [{ UPSTASH_REDIS_REST_TOKEN: "t" }, "UPSTASH_REDIS_REST_URL"],
    [
      { UPSTASH_REDIS_REST_URL: "not a url", UPSTASH_REDIS_REST_TOKEN: "t" },
      "UPSTASH_REDIS_REST_URL",
    ],
    [{ UPSTASH_REDIS_REST_URL: "https://x.upstash.io" }, "UPSTASH_REDIS_REST_TOKEN"],
    [
      { UPSTASH_REDIS_REST_URL: "https://x.upstash.io", UPSTASH_REDIS_REST_TOKEN: "" },
      "UPSTASH_REDIS_REST_TOKEN",
    ],
  ])("a ConfigError names the missing or bad variable (%j)", (bad, name) => {
    for (const fromEnv of [upstashStoreFromEnv, cloudflare.upstashStoreFromEnv]) {
      const error = (() => {
        try {
          fromEnv(bad);
        } catch (e) {
          return e;
        }
      })() as ConfigError;
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.option).toBe(name);
      expect(error.message).toContain(name);
    }
  });

  it("never puts the token in an error message", () => {
    const secret = "s3cr3t-token-value";
    const run = () =>
      upstashStoreFromEnv({
        UPSTASH_REDIS_REST_URL: "ftp://nope",
        UPSTASH_REDIS_REST_TOKEN: secret,
      });
    expect(run).toThrow(ConfigError);
    expect(run).not.toThrow(secret);
  });
});
