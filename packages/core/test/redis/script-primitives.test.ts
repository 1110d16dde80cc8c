// ScriptAccumulator / ScriptSortedSet specifics on a real Redis through the narrow
// RedisScriptClient: one script call per operation, Lua's unpack limit, the NOSCRIPT fallback,
// typed errors. Their semantics and concurrent-drain races are covered by the shared primitives
// suite, which @dtw/node and @dtw/upstash run on these same classes through their clients.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, StoreError } from "../../src/errors.js";
import type { RedisScriptClient } from "../../src/redis/client.js";
import { ScriptAccumulator, ScriptSortedSet } from "../../src/redis/script-primitives.js";
import { PRIMITIVE_SCRIPTS } from "../../src/redis/scripts/primitives.js";
import { acquireRedis, scriptClient, type TestRedis } from "./redis-client.js";

let redis: TestRedis;
let prefix: string;
let n = 0;
const key = () => `${prefix}${++n}`;

beforeAll(async () => {
  redis = await acquireRedis();
  prefix = redis.prefix();
  // Steady state: the scripts are cached on the server (as after any first call).
  for (const script of Object.values(PRIMITIVE_SCRIPTS)) {
    await redis.connection.sendCommand(["SCRIPT", "LOAD", script.source]);
  }
});

afterAll(async () => {
  await redis?.cleanup();
});

describe("one script call per operation", () => {
  it("accumulator: add, drain and flush each send one EVALSHA; drain(0) sends nothing", async () => {
    const client = scriptClient(redis.connection);
    const acc = new ScriptAccumulator(client, key());
    expect(await acc.add("a")).toBe(1);
    expect(await acc.add(["b", "c", "d"])).toBe(4);
    expect(await acc.add([])).toBe(4);
    expect(await acc.drain(0)).toEqual([]);
    expect(await acc.drain(2)).toEqual(["a", "b"]);
    expect(await acc.flush()).toEqual(["c", "d"]);
    expect(await acc.drain(5)).toEqual([]);
    expect(client.sent).toEqual({ evalsha: 6, eval: 0 });
  });

  it("sorted set: add, drain and flush each send one EVALSHA", async () => {
    const client = scriptClient(redis.connection);
    const set = new ScriptSortedSet(client, key());
    expect(await set.add("b", 2)).toBe(true);
    expect(await set.add("a", 1)).toBe(true);
    expect(await set.add("a", 1)).toBe(false);
    expect(await set.drain(2, "lt")).toEqual(["a"]);
    expect(await set.flush()).toEqual(["b"]);
    expect(client.sent).toEqual({ evalsha: 5, eval: 0 });
  });

  it("accumulator: adds 20,000 items in one call (past Lua's unpack limit), byte-exact and in order", async () => {
    const client = scriptClient(redis.connection);
    const acc = new ScriptAccumulator(client, key());
    const items = Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? `"${i}"` : String(i)));
    items.push("", "é 😀", "line\nbreak", "back\\slash");
    expect(await acc.add(items)).toBe(items.length);
    expect(client.sent).toEqual({ evalsha: 1, eval: 0 });
    expect(await acc.flush()).toEqual(items);
  });

  it("falls back to EVAL once when the server lacks the script, then uses EVALSHA again", async () => {
    const inner = scriptClient(redis.connection);
    const acc = new ScriptAccumulator(firstShaUnknown(inner), key());
    expect(await acc.add(["a", "b"])).toBe(2);
    expect(inner.sent).toEqual({ evalsha: 1, eval: 1 });
    expect(await acc.flush()).toEqual(["a", "b"]);
    expect(inner.sent).toEqual({ evalsha: 2, eval: 1 });
  });
});

describe("script primitive errors", () => {
  it("refuse a bad argument with a ConfigError naming it, before sending anything", async () => {
    const client = scriptClient(redis.connection);
    const acc = new ScriptAccumulator(client, key());
    const set = new ScriptSortedSet(client, key());
    await expect(acc.drain(1.5)).rejects.toThrow(ConfigError);
    await expect(acc.add(["a", 42 as never])).rejects.toThrow("Invalid value: 42");
    await expect(set.drain(1, "gt" as never)).rejects.toThrow('Invalid operator: "gt"');
    await expect(set.add(7 as never, 1)).rejects.toThrow("Invalid value: 7");
    expect(client.sent).toEqual({ evalsha: 0, eval: 0 });
    expect(() => new ScriptSortedSet(client, "")).toThrow('Invalid identity: ""');
    expect(() => new ScriptAccumulator({} as never, key())).toThrow("Invalid client: object");
  });

  it("wrap a client failure in a StoreError naming the primitive, script and key, keeping the cause", async () => {
    const cause = new Error("connection reset");
    const failing: RedisScriptClient = {
      evalsha: () => Promise.reject(cause),
      eval: () => Promise.reject(new Error("not reached")),
    };
    const error = await new ScriptSortedSet(failing, "app:buckets")
      .drain(5, "lt")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).cause).toBe(cause);
    expect((error as StoreError).message).toBe(
      'sorted set zsetDrainBelow on "app:buckets" failed: connection reset',
    );
  });

  it("wrap a Redis error (a key of the wrong type) in a StoreError and leave the key alone", async () => {
    const k = key();
    await redis.connection.sendCommand(["SET", k, "not a list"]);
    const acc = new ScriptAccumulator(scriptClient(redis.connection), k);
    await expect(acc.add("a")).rejects.toThrow(/accumulator listPush on .* failed: .*WRONGTYPE/);
    const set = new ScriptSortedSet(scriptClient(redis.connection), k);
    await expect(set.flush()).rejects.toBeInstanceOf(StoreError);
    expect(await redis.connection.sendCommand(["GET", k])).toBe("not a list");
  });
});

/**
 * `inner`, except that its first EVALSHA asks for a SHA the server never cached, so Redis really
 * answers NOSCRIPT (SCRIPT FLUSH would too, but is not allowed on a shared server).
 */
function firstShaUnknown(inner: RedisScriptClient): RedisScriptClient {
  let calls = 0;
  return {
    evalsha: (sha, keys, args) => inner.evalsha(calls++ === 0 ? "0".repeat(40) : sha, keys, args),
    eval: (source, keys, args) => inner.eval(source, keys, args),
  };
}
