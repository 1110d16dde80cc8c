// Redis down: pushes must reject fast with a StoreError that keeps the cause, write nothing, and
// work again once Redis is back. Uses a private redis-server that the test kills and restarts.
import { DistributedTimeWindow, StoreError } from "@dtw/core";
import { createClient } from "redis";
import { afterEach, describe, expect, it } from "vitest";
import {
  canStartRedisServer,
  freePort,
  type PrivateRedis,
  startRedisServer,
} from "../../../test/support/redis-server.js";
import { redisStore } from "../src/store.js";
import { RedisReplyTimeoutError } from "../src/timeout.js";

let server: PrivateRedis | undefined;
afterEach(async () => {
  await server?.kill();
  server = undefined;
});

function causes(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) messages.push(e.message);
  return messages.join(" <- ");
}

async function rejection(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - started };
}

function window(store: ReturnType<typeof redisStore>) {
  return new DistributedTimeWindow<string>({
    name: "outage",
    store,
    timeoutMs: "1 h",
    autoTick: false,
  });
}

it("rejects a push at once when nothing listens on the port, keeping the cause", async () => {
  const store = redisStore(`redis://127.0.0.1:${await freePort()}`);
  const tw = window(store);
  const { error, ms } = await rejection(tw.push("a"));
  expect(error).toBeInstanceOf(StoreError);
  expect(causes(error)).toMatch(/ECONNREFUSED/);
  expect(ms).toBeLessThan(1000);
  // Still failing fast on the next call, while the client retries in the background.
  const again = await rejection(tw.push("b"));
  expect(again.error).toBeInstanceOf(StoreError);
  expect(again.ms).toBeLessThan(200);
  await store.close();
});

describe.runIf(canStartRedisServer())("with a redis-server the test kills", () => {
  it("fails fast while Redis is down, writes nothing, and recovers when it is back", async () => {
    server = await startRedisServer();
    const { port } = server;
    const store = redisStore(server.url);
    const tw = window(store);
    await tw.push("before");

    await server.kill();
    const down = await rejection(tw.push("during"));
    expect(down.error).toBeInstanceOf(StoreError);
    expect((down.error as StoreError).cause).toBeInstanceOf(Error);
    expect(down.ms).toBeLessThan(1000);

    server = await startRedisServer(port); // empty: no persistence
    const deadline = Date.now() + 10_000;
    for (;;) {
      // The client reconnects on its own backoff; wait for it, bounded.
      const ok = await tw.push("after").then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error("the store did not reconnect within 10 s");
      await new Promise((r) => setTimeout(r, 50));
    }
    // The rejected push was refused before it was sent: it was not queued and replayed later.
    expect(await tw.flush()).toEqual([["after"]]);
    await tw.close();
    await store.close();
  });

  it.each([
    ["created from a URL", true],
    ["passed in", false],
  ])(
    "a sent command that outlasts commandTimeoutMs rejects (client %s); its outcome is unknown",
    async (_, owned) => {
      server = await startRedisServer();
      const url = server.url;
      const own = owned ? undefined : await createClient({ url }).connect();
      const store = redisStore(own ?? url, { commandTimeoutMs: 200 });
      const tw = window(store);
      await tw.push("before");
      const control = await createClient({ url }).connect();
      await control.sendCommand(["CLIENT", "PAUSE", "1000", "ALL"]);
      const slow = await rejection(tw.push("sent"));
      expect(slow.error).toBeInstanceOf(StoreError);
      expect((slow.error as StoreError).cause).toBeInstanceOf(RedisReplyTimeoutError);
      expect(slow.ms).toBeLessThan(900);
      await control.sendCommand(["CLIENT", "UNPAUSE"]);
      // The command had been sent: Redis ran it once unpaused. Hence "unknown", not "refused".
      expect(await tw.flush()).toEqual([["before", "sent"]]);
      control.destroy();
      own?.destroy();
      await store.close();
    },
  );
});
