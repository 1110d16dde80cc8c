import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { acquireRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { startTestGateway, type TestGateway } from "./fixture.js";

// Everything here goes through the real @upstash/redis client with its default settings, so
// these tests fail if the gateway drifts from what that client expects.
let redisServer: TestRedis;
let t: TestGateway;
let k: (name: string) => string;

beforeAll(async () => {
  redisServer = await acquireRedis({ label: "gateway-test" });
  t = await startTestGateway(redisServer.url);
});
afterAll(async () => {
  await t?.gateway.close();
  await redisServer?.cleanup();
});
beforeEach(() => {
  const prefix = redisServer.prefix();
  k = (name) => `${prefix}${name}`;
  t.events.length = 0;
});

describe("single commands", () => {
  it("round-trips unicode strings (base64 on the wire)", async () => {
    const value = "héllo wörld ✓ 日本語 🚀";
    expect(await t.redis.set(k("s"), value)).toBe("OK");
    expect(await t.redis.get(k("s"))).toBe(value);
    const raw = await redisServer.admin.sendCommand(["GET", k("s")]);
    expect(raw).toBe(value);
  });

  it("returns null for a missing key and numbers for integer replies", async () => {
    expect(await t.redis.get(k("missing"))).toBeNull();
    expect(await t.redis.incr(k("n"))).toBe(1);
    expect(await t.redis.incrby(k("n"), 41)).toBe(42);
    expect(await t.redis.get<number>(k("n"))).toBe(42);
  });

  it("handles SET options and TTLs", async () => {
    expect(await t.redis.set(k("ttl"), "v", { ex: 100 })).toBe("OK");
    const ttl = await t.redis.ttl(k("ttl"));
    expect(ttl).toBeGreaterThan(90);
    expect(await t.redis.set(k("ttl"), "w", { nx: true })).toBeNull();
  });

  it("round-trips JSON values, which the client serialises and parses", async () => {
    const doc = { name: "Zoë", tags: ["a", "ü"], nested: { n: 1.5, ok: true, none: null } };
    await t.redis.set(k("json"), doc);
    expect(await t.redis.get(k("json"))).toEqual(doc);
    await t.redis.set(k("arr"), [1, "two", { three: 3 }]);
    expect(await t.redis.get(k("arr"))).toEqual([1, "two", { three: 3 }]);
  });

  it("supports lists", async () => {
    expect(await t.redis.rpush(k("list"), "a", "b", "ç")).toBe(3);
    expect(await t.redis.lpush(k("list"), "z")).toBe(4);
    expect(await t.redis.lrange(k("list"), 0, -1)).toEqual(["z", "a", "b", "ç"]);
    expect(await t.redis.lpop(k("list"))).toBe("z");
    expect(await t.redis.llen(k("list"))).toBe(3);
  });

  it("supports hashes (hgetall comes back as an object)", async () => {
    await t.redis.hset(k("h"), { field: "välue", count: 3, obj: { a: 1 } });
    expect(await t.redis.hgetall(k("h"))).toEqual({ field: "välue", count: 3, obj: { a: 1 } });
    expect(await t.redis.hget(k("h"), "field")).toBe("välue");
    expect(await t.redis.hincrby(k("h"), "count", 2)).toBe(5);
  });

  it("supports sorted sets with scores", async () => {
    await t.redis.zadd(k("z"), { score: 2, member: "two" }, { score: 1.5, member: "one-ish" });
    expect(await t.redis.zrange(k("z"), 0, -1, { withScores: true })).toEqual([
      "one-ish",
      1.5,
      "two",
      2,
    ]);
    expect(await t.redis.zscore(k("z"), "two")).toBe(2);
  });

  it("surfaces a failing command as an UpstashError", async () => {
    await t.redis.set(k("text"), "not a number");
    await expect(t.redis.incr(k("text"))).rejects.toThrow(/ERR value is not an integer/);
  });
});

describe("pipelines and transactions", () => {
  it("auto-pipelines concurrent calls into one /pipeline request", async () => {
    const calls = Array.from({ length: 50 }, (_, i) => t.redis.incrby(k("auto"), i + 1));
    const results = await Promise.all(calls);
    // Each INCRBY sees the running total, proving order is kept inside the pipeline.
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => ((i + 1) * (i + 2)) / 2));
    const pipelines = t.events.filter((e) => e.path === "/pipeline");
    expect(pipelines).toHaveLength(1);
    expect(pipelines[0]?.commands).toHaveLength(50);
    expect(t.events.filter((e) => e.path === "/")).toHaveLength(0);
  });

  it("runs an explicit pipeline", async () => {
    const p = t.redis.pipeline();
    p.set(k("p1"), "één");
    p.incr(k("p2"));
    p.get(k("p1"));
    p.rpush(k("p3"), "x", "y");
    p.lrange(k("p3"), 0, -1);
    expect(await p.exec()).toEqual(["OK", 1, "één", 2, ["x", "y"]]);
    expect(t.events.at(-1)).toMatchObject({ path: "/pipeline", status: 200 });
  });

  it("reports a failing command inside a pipeline while the others succeed", async () => {
    await t.redis.set(k("str"), "abc");
    const p = t.redis.pipeline();
    p.set(k("ok"), "1");
    p.incr(k("str"));
    p.get(k("ok"));
    const results = await p.exec({ keepErrors: true });
    expect(results[0]).toEqual({ result: "OK", error: undefined });
    expect(results[1]?.error).toMatch(/ERR value is not an integer/);
    expect(results[2]).toEqual({ result: 1, error: undefined });

    const strict = t.redis.pipeline();
    strict.incr(k("str"));
    await expect(strict.exec()).rejects.toThrow(/Command 1 \[ incr \] failed: ERR value/);
  });

  it("runs multi() as MULTI/EXEC", async () => {
    const tx = t.redis.multi();
    tx.set(k("m"), "1");
    tx.incrby(k("m"), 9);
    tx.get(k("m"));
    expect(await tx.exec()).toEqual(["OK", 10, 10]);
    expect(t.events.at(-1)).toMatchObject({
      path: "/multi-exec",
      status: 200,
      commands: ["SET", "INCRBY", "GET"],
    });
  });

  it("keeps per-command errors inside EXEC as error items", async () => {
    await t.redis.set(k("str"), "abc");
    const tx = t.redis.multi();
    tx.set(k("after"), "ran");
    tx.incr(k("str"));
    const results = await tx.exec({ keepErrors: true });
    expect(results[0]).toEqual({ result: "OK", error: undefined });
    expect(results[1]?.error).toMatch(/ERR value is not an integer/);
    // Not rolled back: that is how MULTI/EXEC works.
    expect(await t.redis.get(k("after"))).toBe("ran");
  });

  it("discards the whole transaction on a queueing error (EXECABORT)", async () => {
    const tx = t.redis.multi();
    tx.set(k("never"), "1");
    // DEL without keys: Redis rejects it while queueing (wrong number of arguments).
    tx.del();
    await expect(tx.exec()).rejects.toThrow(/EXECABORT/);
    expect(await t.redis.exists(k("never"))).toBe(0);
    expect(t.events.at(-2)).toMatchObject({ path: "/multi-exec", status: 400 });
  });
});

describe("scripts", () => {
  it("falls back from EVALSHA (NOSCRIPT) to EVAL, then uses EVALSHA", async () => {
    // A unique body gives a sha no Redis has seen, so the first EVALSHA must miss.
    const lua = `-- ${randomUUID()}
      redis.call("SET", KEYS[1], ARGV[1])
      return { redis.call("GET", KEYS[1]), redis.call("INCRBY", KEYS[2], ARGV[2]), { "nested", 7 } }`;
    const script = t.redis.createScript<[string, number, [string, number]]>(lua);

    const first = await script.exec([k("a"), k("b")], ["ünïcode", "5"]);
    expect(first).toEqual(["ünïcode", 5, ["nested", 7]]);
    const firstNames = t.events.flatMap((e) => e.commands);
    expect(firstNames).toEqual(["EVALSHA", "EVAL"]);

    t.events.length = 0;
    const second = await script.exec([k("a"), k("b")], ["again", "1"]);
    expect(second).toEqual(["again", 6, ["nested", 7]]);
    expect(t.events.flatMap((e) => e.commands)).toEqual(["EVALSHA"]);
  });

  it("rejects evalsha of an unknown sha with NOSCRIPT", async () => {
    await expect(t.redis.evalsha("f".repeat(40), [], [])).rejects.toThrow(
      /NOSCRIPT No matching script/,
    );
  });

  it("loads a script with SCRIPT LOAD and runs it with evalsha", async () => {
    const sha = await t.redis.scriptLoad(`return ARGV[1] .. "${randomUUID()}"`);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    const out = await t.redis.evalsha<[string], string>(sha, [], ["x-"]);
    expect(out.startsWith("x-")).toBe(true);
  });
});
