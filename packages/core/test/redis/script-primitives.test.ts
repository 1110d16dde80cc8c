// ScriptAccumulator / ScriptSortedSet on a real Redis through the narrow RedisScriptClient:
// one script call per operation, atomic drains, NOSCRIPT fallback, typed errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, StoreError } from "../../src/errors.js";
import type { RedisScriptClient } from "../../src/redis/client.js";
import { ScriptAccumulator, ScriptSortedSet } from "../../src/redis/script-primitives.js";
import { PRIMITIVE_SCRIPTS } from "../../src/redis/scripts/primitives.js";
import {
  acquireRedis,
  type Connection,
  connect,
  scriptClient,
  type TestRedis,
} from "./redis-client.js";

let redis: TestRedis;
let second: Connection;
let prefix: string;
let n = 0;
const key = () => `${prefix}${++n}`;

beforeAll(async () => {
  redis = await acquireRedis();
  prefix = redis.prefix();
  second = await connect(redis.url);
  // Steady state: the scripts are cached on the server (as after any first call).
  for (const script of Object.values(PRIMITIVE_SCRIPTS)) {
    await redis.connection.sendCommand(["SCRIPT", "LOAD", script.source]);
  }
});

afterAll(async () => {
  await second?.close();
  await redis?.cleanup();
});

describe("ScriptAccumulator", () => {
  it("adds in order reporting the length, drains from the head, flushes the rest: one EVALSHA each", async () => {
    const client = scriptClient(redis.connection);
    const acc = new ScriptAccumulator(client, key());
    expect(await acc.add("a")).toBe(1);
    expect(await acc.add(["b", "c", "d"])).toBe(4);
    expect(await acc.add([])).toBe(4);
    expect(await acc.drain(2)).toEqual(["a", "b"]);
    expect(await acc.flush()).toEqual(["c", "d"]);
    expect(await acc.flush()).toEqual([]);
    expect(await acc.drain(5)).toEqual([]);
    expect(client.sent).toEqual({ evalsha: 7, eval: 0 });
    expect(await acc.drain(0)).toEqual([]); // nothing to ask Redis
    expect(client.sent).toEqual({ evalsha: 7, eval: 0 });
  });

  it("adds 20,000 items in one call (past Lua's unpack limit), byte-exact and in order", async () => {
    const acc = new ScriptAccumulator(scriptClient(redis.connection), key());
    const items = Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? `"${i}"` : String(i)));
    items.push("", "é 😀", "line\nbreak", "back\\slash");
    expect(await acc.add(items)).toBe(items.length);
    expect(await acc.drain(3)).toEqual(items.slice(0, 3));
    expect(await acc.flush()).toEqual(items.slice(3));
  });

  it("concurrent drains and a flush on two connections hand each item to one caller, in runs", async () => {
    const k = key();
    const items = Array.from({ length: 300 }, (_, i) => `item-${i}`);
    await new ScriptAccumulator(scriptClient(redis.connection), k).add(items);
    const takers = [redis.connection, second].map((c) => new ScriptAccumulator(scriptClient(c), k));
    const chunks = await Promise.all([
      ...Array.from({ length: 60 }, (_, i) => (takers[i % 2] as ScriptAccumulator).drain(4)),
      (takers[1] as ScriptAccumulator).flush(),
    ]);
    expect(chunks.flat().sort()).toEqual([...items].sort());
    for (const chunk of chunks) {
      const indexes = chunk.map((item) => Number(item.slice(5)));
      expect(indexes).toEqual(indexes.map((_, i) => (indexes[0] as number) + i));
    }
  });

  it("refuses a bad count, item, identity or client with a ConfigError naming it", async () => {
    const client = scriptClient(redis.connection);
    const acc = new ScriptAccumulator(client, key());
    await expect(acc.drain(-1)).rejects.toThrow("Invalid count: -1");
    await expect(acc.drain(1.5)).rejects.toThrow(ConfigError);
    await expect(acc.add(["a", 42 as never])).rejects.toThrow("Invalid value: 42");
    expect(client.sent).toEqual({ evalsha: 0, eval: 0 });
    expect(() => new ScriptAccumulator(client, "")).toThrow('Invalid identity: ""');
    expect(() => new ScriptAccumulator({} as never, key())).toThrow("Invalid client");
  });
});

describe("ScriptSortedSet", () => {
  it("add reports insertion; drain removes members scored below the bound, lowest first", async () => {
    const client = scriptClient(redis.connection);
    const set = new ScriptSortedSet(client, key());
    expect(await set.add("c", 30)).toBe(true);
    expect(await set.add("a", 10)).toBe(true);
    expect(await set.add("b", 20)).toBe(true);
    expect(await set.add("b", 20)).toBe(false);
    expect(await set.drain(20, "lt")).toEqual(["a"]);
    expect(await set.drain(20, "lt")).toEqual([]);
    expect(await set.drain(31, "lt")).toEqual(["b", "c"]);
    expect(await set.flush()).toEqual([]);
    expect(client.sent).toEqual({ evalsha: 8, eval: 0 });
  });

  it("handles epoch-ms scores and infinities; flush returns the rest lowest first", async () => {
    const set = new ScriptSortedSet(scriptClient(redis.connection), key());
    const base = 1_764_364_800_000;
    for (const [i, member] of ["x", "007", "", '{"a":1}'].entries())
      await set.add(member, base + i);
    expect(await set.drain(Number.NEGATIVE_INFINITY, "lt")).toEqual([]);
    expect(await set.drain(base + 2, "lt")).toEqual(["x", "007"]);
    expect(await set.flush()).toEqual(["", '{"a":1}']);
    await set.add("m", Number.POSITIVE_INFINITY);
    expect(await set.drain(Number.POSITIVE_INFINITY, "lt")).toEqual([]);
    expect(await set.flush()).toEqual(["m"]);
  });

  it("concurrent drains on two connections never hand one member to two callers", async () => {
    const k = key();
    const members = Array.from({ length: 400 }, (_, i) => `bucket-${i}`);
    const writer = new ScriptSortedSet(scriptClient(redis.connection), k);
    await Promise.all(members.map((m, i) => writer.add(m, i)));
    const drainers = [redis.connection, second].map((c) => new ScriptSortedSet(scriptClient(c), k));
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        (drainers[i % 2] as ScriptSortedSet).drain(i * 5 + 5, "lt"),
      ),
    );
    const all = results.flat();
    expect(all).toHaveLength(members.length);
    expect(new Set(all).size).toBe(members.length);
  });

  it("refuses a bad operator, sort id or member with a ConfigError naming it", async () => {
    const set = new ScriptSortedSet(scriptClient(redis.connection), key());
    await expect(set.drain(1, "gt" as never)).rejects.toThrow('Invalid operator: "gt"');
    await expect(set.drain(Number.NaN, "lt")).rejects.toThrow("Invalid sortId: NaN");
    await expect(set.add("m", "1" as never)).rejects.toThrow('Invalid sortId: "1"');
    await expect(set.add(7 as never, 1)).rejects.toThrow("Invalid value: 7");
  });
});

describe("script primitives: NOSCRIPT and errors", () => {
  it("fall back to EVAL once when the server does not have the script, then use EVALSHA", async () => {
    // The server really answers NOSCRIPT: the first EVALSHA asks for a SHA it never cached.
    const inner = scriptClient(redis.connection);
    let first = true;
    const client: RedisScriptClient = {
      evalsha(sha, keys, args) {
        const asked = first ? "0".repeat(40) : sha;
        first = false;
        return inner.evalsha(asked, keys, args);
      },
      eval: (source, keys, args) => inner.eval(source, keys, args),
    };
    const acc = new ScriptAccumulator(client, key());
    expect(await acc.add(["a", "b"])).toBe(2);
    expect(inner.sent).toEqual({ evalsha: 1, eval: 1 });
    expect(await acc.flush()).toEqual(["a", "b"]);
    expect(inner.sent).toEqual({ evalsha: 2, eval: 1 });
  });

  it("wrap a client failure in a StoreError naming the primitive, operation and key, keeping the cause", async () => {
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

  it("wrap a Redis error (a key of the wrong type) in a StoreError", async () => {
    const k = key();
    await redis.connection.sendCommand(["SET", k, "not a list"]);
    const acc = new ScriptAccumulator(scriptClient(redis.connection), k);
    await expect(acc.add("a")).rejects.toThrow(/accumulator listPush on .* failed: .*WRONGTYPE/);
    const set = new ScriptSortedSet(scriptClient(redis.connection), k);
    await expect(set.flush()).rejects.toBeInstanceOf(StoreError);
    expect(await redis.connection.sendCommand(["GET", k])).toBe("not a list");
  });
});
