import { DistributedTimeWindow, redisStore, StoreError, type WindowStore } from "@dtw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pollUntil } from "./support/poll.js";
import { CuttingProxy } from "./support/proxy.js";
import { freePort, type PrivateRedis, startRedisServer } from "./support/redis-server.js";

/** These tests kill servers and cut connections: only ever a redis-server they started. */
let server: PrivateRedis;
const cleanups: Array<() => Promise<unknown>> = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await server?.stop();
});

function streamOn(store: WindowStore, name: string): DistributedTimeWindow<string> {
  const tw = new DistributedTimeWindow<string>({ name, store, timeoutMs: 60_000, autoTick: false });
  cleanups.push(async () => {
    await tw.close();
    await store.close?.();
  });
  return tw;
}

const batch = (label: string, n: number) => Array.from({ length: n }, (_, i) => `${label}${i}`);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, the call resolved");
}

describe("when Redis cannot be reached", () => {
  it("push rejects with a StoreError that keeps the original error as cause", async () => {
    const nothingThere = `redis://127.0.0.1:${await freePort()}`;
    const tw = streamOn(redisStore(nothingThere, { connectTimeoutMs: 1_000 }), "unreachable");
    const error = await rejection(tw.push("x"));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).cause).toBeInstanceOf(Error);
    expect((error as StoreError).message).toContain("unreachable");
  });

  it("a push after the server died rejects at once instead of waiting for it", async () => {
    const own = await startRedisServer();
    cleanups.push(() => own.stop());
    const tw = streamOn(redisStore(own.url), "server-dies");
    await tw.push("before");
    await own.kill();
    const t0 = performance.now();
    const error = await rejection(tw.push("after"));
    expect(performance.now() - t0).toBeLessThan(2_000); // not the 5 s command timeout
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).cause).toBeInstanceOf(Error);
  });
});

describe("when the connection drops during a push", () => {
  async function setup(name: string) {
    const proxy = await CuttingProxy.start(server.port);
    cleanups.push(() => proxy.close());
    const prefix = `dtw-e2e-cut:${name}:`;
    const viaProxy = streamOn(redisStore(proxy.url, { prefix }), name);
    const direct = streamOn(redisStore(server.url, { prefix }), name);
    await viaProxy.push("first"); // connected, script loaded: the next request is the push
    return { proxy, viaProxy, direct };
  }

  /** The proxied client reconnects on its own; a push through it works again. */
  async function pushOnceReconnected(tw: DistributedTimeWindow<string>, element: string) {
    await pollUntil(
      () =>
        tw.push(element).then(
          () => true,
          () => false,
        ),
      (ok) => ok,
      { timeoutMs: 10_000, what: "the client to reconnect" },
    );
  }

  it("before the script ran: push rejects with a StoreError, nothing was written", async () => {
    const { proxy, viaProxy, direct } = await setup("cut-before");
    const cut = proxy.cutBeforeNextRequest();
    const error = await rejection(viaProxy.pushMany(batch("lost-", 100)));
    await cut;
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).cause).toBeInstanceOf(Error);
    await pushOnceReconnected(viaProxy, "last");
    expect(await direct.flush()).toEqual([["first", "last"]]);
  });

  it("after the script ran (reply lost): push rejects, the batch is whole, never half or twice", async () => {
    const { proxy, viaProxy, direct } = await setup("cut-after");
    const elements = batch("b-", 1_000);
    const cut = proxy.cutAfterNextReply();
    const error = await rejection(viaProxy.pushMany(elements));
    await cut;
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).cause).toBeInstanceOf(Error);
    // The reconnected client must not resend the lost command: that would append it twice.
    await pushOnceReconnected(viaProxy, "last");
    const stored = (await direct.flush()).flat();
    const whole = ["first", ...elements, "last"];
    expect([whole, ["first", "last"]]).toContainEqual(stored);
    console.log(
      `[e2e] reply lost after the script ran: ${stored.length === whole.length ? "all 1000" : "none"} ` +
        "of the rejected push's elements are in the store (whole, in order, once)",
    );
  });
});
