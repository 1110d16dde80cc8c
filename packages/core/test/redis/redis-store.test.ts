// RedisStore specifics on a real Redis: key layout, Redis time, validation before writing,
// error wrapping, reply coercion, ordering and size limits, concurrency. The contract itself is
// covered by conformance.test.ts and, against MemoryStore step by step, by model.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreError } from "../../src/errors.js";
import type { RedisScriptClient } from "../../src/redis/client.js";
import { RedisStore } from "../../src/redis/redis-store.js";
import { SCRIPTS } from "../../src/redis/scripts/index.js";
import type { StoredWindow, StreamSpec } from "../../src/store.js";
import { FakeClock } from "../conformance/fake-clock.js";
import {
  acquireRedis,
  type Connection,
  connect,
  scriptClient,
  type TestRedis,
} from "./redis-client.js";

let redis: TestRedis;
let seq = 0;

beforeAll(async () => {
  redis = await acquireRedis();
});

afterAll(async () => {
  await redis?.cleanup();
});

function spec(overrides: Partial<StreamSpec> = {}): StreamSpec {
  return {
    name: `s${++seq}`,
    strategy: "tumbling",
    maxCount: Number.POSITIVE_INFINITY,
    timeoutMs: 1000,
    maxWaitMs: Number.POSITIVE_INFINITY,
    ...overrides,
  };
}

/** A store on its own prefix, with a fake clock unless `redisTime`. */
function setup(options: { redisTime?: boolean; client?: RedisScriptClient } = {}) {
  const prefix = redis.prefix();
  const clock = new FakeClock();
  clock.alignTo(1000, 100);
  const store = new RedisStore(options.client ?? scriptClient(redis.connection), {
    prefix,
    clock: options.redisTime ? undefined : clock.now,
  });
  return { store, clock, prefix };
}

async function redisTime(): Promise<number> {
  const [s, us] = (await redis.connection.sendCommand(["TIME"])) as [string, string];
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}

describe("RedisStore keys", () => {
  it("puts every key of a stream under `<prefix>{<name>}:` (one hash tag, one Cluster slot); drop deletes them all", async () => {
    const { store, prefix } = setup();
    const s = spec({ maxCount: 2 });
    // One window of each kind: open, leased, ready (retry), dead.
    const r = await store.append(
      s,
      [{ key: "k", items: ["a", "b", "c", "d", "e", "f", "g"] }],
      1000,
    );
    const [w1, w2, w3] = r.closed as [StoredWindow, StoredWindow, StoredWindow];
    expect(await store.fail(s, w1.id, 1, 0, 1)).toBe("dead");
    expect(await store.fail(s, w2.id, 1, 5000, 5)).toBe("retry");
    expect(w3.attempt).toBe(1);
    const keys = await redis.keys(prefix);
    const base = `${prefix}{${s.name}}:`;
    expect(keys.length).toBeGreaterThan(5);
    for (const key of keys) expect(key.startsWith(base)).toBe(true);
    expect(keys).toEqual(
      expect.arrayContaining(
        ["open", "due", "queue", "leased", "dead", "ctr"].map((k) => base + k),
      ),
    );
    await store.drop(s);
    expect(await redis.keys(prefix)).toEqual([]);
  });

  it("keeps streams and prefixes apart", async () => {
    const a = setup();
    const b = setup();
    const s = spec({ maxCount: 2 });
    await a.store.append(s, [{ key: "", items: ["a"] }], 0);
    expect((await b.store.append(s, [{ key: "", items: ["b"] }], 0)).closed).toEqual([]);
    expect((await a.store.flush(s)).map((w) => w.items)).toEqual([["a"]]);
    expect((await b.store.flush(s)).map((w) => w.items)).toEqual([["b"]]);
  });

  it("refuses a client without evalsha/eval", () => {
    expect(() => new RedisStore({} as RedisScriptClient)).toThrow(/Invalid client: object/);
  });

  it("refuses a prefix with braces (it would replace the stream's hash tag)", () => {
    expect(() => new RedisStore(scriptClient(redis.connection), { prefix: "{x}" })).toThrow(
      /Invalid prefix: "\{x\}"/,
    );
  });
});

describe("RedisStore time", () => {
  it("uses Redis TIME when no clock is given", async () => {
    const { store } = setup({ redisTime: true });
    const s = spec({ maxCount: 1, strategy: "first" });
    const before = await redisTime();
    const r = await store.append(s, [{ key: "", items: ["a"] }], 1000);
    const after = await redisTime();
    expect(r.now).toBeGreaterThanOrEqual(before);
    expect(r.now).toBeLessThanOrEqual(after);
    expect(r.closed[0]).toMatchObject({ openedAt: r.now, closedAt: r.now, id: `${r.now}-1` });
    const wake = await store.nextWakeup(s);
    expect(wake.now).toBeGreaterThanOrEqual(r.now);
    expect(wake.at).toBe(r.now + 1000);
  });
});

describe("RedisStore append", () => {
  const header = (groups: number) => ["", "0", "tumbling", "0", "1000", "0", String(groups)];
  const bad: Array<[string, string[]]> = [
    ["a second group that is missing", [...header(2), "k", "2", "a", "b"]],
    ["a group longer than the arguments", [...header(2), "k", "1", "a", "k2", "5", "x"]],
    ["a negative count", [...header(2), "k", "1", "a", "k2", "-1"]],
    ["trailing arguments", [...header(1), "k", "1", "a", "extra"]],
    ["an unknown strategy", ["", "0", "sliding", "0", "1000", "0", "1", "k", "1", "a"]],
    ["a zero timeout", ["", "0", "tumbling", "0", "0", "0", "1", "k", "1", "a"]],
  ];
  it.each(bad)("rejects %s before writing anything", async (_, args) => {
    const prefix = redis.prefix();
    const call = redis.connection.sendCommand([
      "EVAL",
      SCRIPTS.append.source,
      "1",
      `${prefix}{s}`,
      ...args,
    ]);
    await expect(call).rejects.toThrow(/dtw append: bad/);
    expect(await redis.keys(prefix)).toEqual([]);
  });

  it("accepts 20,000 items in one group (past Lua's unpack limit), byte-exact and in order", async () => {
    const { store } = setup();
    const s = spec();
    const items = Array.from({ length: 20_000 }, (_, i) => `${i}:${"é".repeat(i % 7)}\n`);
    await store.append(s, [{ key: "big", items }], 0);
    expect(await store.stats(s)).toMatchObject({ open: 1, pendingElements: 20_000 });
    const [w] = await store.flush(s);
    expect(w?.items).toEqual(items);
  });

  it("loses and duplicates nothing under concurrent appends from several connections", async () => {
    const prefix = redis.prefix();
    const s = spec({ maxCount: 7, timeoutMs: 60_000 });
    const connections = await Promise.all([1, 2, 3, 4].map(() => connect(redis.url)));
    try {
      const stores = connections.map((c) => new RedisStore(scriptClient(c), { prefix }));
      const closed: StoredWindow[] = [];
      await Promise.all(
        stores.flatMap((store, n) =>
          Array.from({ length: 50 }, async (_, i) => {
            const items = [0, 1, 2].map((j) => `${n}-${i}-${j}`);
            const r = await store.append(s, [{ key: `k${i % 3}`, items }], 1000);
            closed.push(...r.closed);
          }),
        ),
      );
      const all = [...closed, ...(await (stores[0] as RedisStore).flush(s))];
      for (const w of all) expect(w.items.length).toBeLessThanOrEqual(7);
      const items = all.flatMap((w) => w.items);
      expect(items).toHaveLength(4 * 50 * 3);
      expect(new Set(items).size).toBe(items.length);
      expect(new Set(all.map((w) => w.id)).size).toBe(all.length);
      await stores[0]?.drop(s);
    } finally {
      await Promise.all(connections.map((c: Connection) => c.close()));
    }
  });
});

describe("RedisStore delivery", () => {
  it("claims windows that became claimable at the same time first-in first-out, past 9 of them", async () => {
    const { store, clock } = setup();
    const s = spec({ timeoutMs: 1000 });
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    await store.append(
      s,
      keys.map((key) => ({ key, items: [key] })),
      0,
    );
    clock.advance(1000);
    expect(await store.closeDue(s, 100)).toBe(12);
    expect((await store.claim(s, 100, 1000)).map((w) => w.key)).toEqual(keys);
  });

  it("stats: a live lease is in flight; an expired lease and a retry in backoff are ready", async () => {
    const { store, clock } = setup();
    const s = spec({ maxCount: 1 });
    const [a, b] = (await store.append(s, [{ key: "", items: ["a", "b", "c"] }], 1000)).closed;
    expect(await store.stats(s)).toMatchObject({ ready: 0, inFlight: 3, dead: 0, open: 0 });
    expect(await store.fail(s, (a as StoredWindow).id, 1, 5000, 5)).toBe("retry");
    expect(await store.fail(s, (b as StoredWindow).id, 1, 0, 1)).toBe("dead");
    expect(await store.stats(s)).toMatchObject({ ready: 1, inFlight: 1, dead: 1 });
    clock.advance(1000);
    expect(await store.stats(s)).toMatchObject({ ready: 2, inFlight: 0, dead: 1 });
    expect(await store.nextWakeup(s)).toEqual({ now: clock.ms, at: clock.ms });
  });

  it("ack and fail leave windows that are still open alone", async () => {
    const { store, clock } = setup();
    const s = spec();
    await store.append(s, [{ key: "", items: ["a"] }], 0);
    const id = `${clock.ms}-1`;
    expect(await store.ack(s, [id])).toBe(0);
    expect(await store.fail(s, id, 0, 0, 1)).toBe("stale");
    expect(await store.stats(s)).toMatchObject({ open: 1, pendingElements: 1 });
    expect((await store.flush(s)).map((w) => w.id)).toEqual([id]);
  });
});

describe("RedisStore errors and replies", () => {
  it("wraps a client failure in a StoreError naming the operation and stream, keeping the cause", async () => {
    const cause = new Error("connection reset");
    const failing: RedisScriptClient = {
      evalsha: () => Promise.reject(cause),
      eval: () => Promise.reject(new Error("not reached")),
    };
    const { store } = setup({ client: failing });
    const s = spec();
    const error = await store.append(s, [{ key: "", items: ["a"] }], 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).cause).toBe(cause);
    expect((error as StoreError).message).toBe(
      `RedisStore append on stream "${s.name}" failed: connection reset`,
    );
  });

  it("wraps a Redis script error (a stream key of the wrong type) in a StoreError", async () => {
    const { store, prefix } = setup();
    const s = spec();
    await redis.connection.sendCommand(["SET", `${prefix}{${s.name}}:open`, "not a hash"]);
    await expect(store.append(s, [{ key: "", items: ["a"] }], 0)).rejects.toThrow(
      new RegExp(`RedisStore append on stream "${s.name}" failed: .*WRONGTYPE`),
    );
    await expect(store.stats(s)).rejects.toBeInstanceOf(StoreError);
    await redis.connection.sendCommand(["DEL", `${prefix}{${s.name}}:open`]);
  });

  it("decodes integer replies that a client returns as numeric strings", async () => {
    const plain = setup();
    const stringly = setup({
      client: mapReplies(scriptClient(redis.connection), numbersToStrings),
    });
    stringly.clock.ms = plain.clock.ms;
    const run = async ({ store, clock }: ReturnType<typeof setup>) => {
      const s = spec({ maxCount: 2, strategy: "last", timeoutMs: 300 });
      const appended = await store.append(s, [{ key: "u", items: ["1", "2", "3"] }], 500);
      clock.advance(300);
      const closed = await store.closeDue(s, 10);
      const claimed = await store.claim(s, 10, 500);
      const stats = await store.stats(s);
      const wake = await store.nextWakeup(s);
      return { appended, closed, claimed, stats, wake };
    };
    const expected = await run(plain);
    expect(expected.claimed).toHaveLength(1);
    expect(await run(stringly)).toEqual(expected);
  });

  it('refuses items a client altered (a JSON-parsing client turning "42" into 42)', async () => {
    const parsing = mapReplies(scriptClient(redis.connection), (v) =>
      typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v,
    );
    const { store } = setup({ client: parsing });
    const s = spec({ maxCount: 1 });
    await expect(store.append(s, [{ key: "k", items: ["42"] }], 0)).rejects.toThrow(
      /expected item as a string, got number/,
    );
  });
});

function mapReplies(client: RedisScriptClient, f: (v: unknown) => unknown): RedisScriptClient {
  const deep = (v: unknown): unknown => (Array.isArray(v) ? v.map(deep) : f(v));
  return {
    evalsha: async (sha, keys, args) => deep(await client.evalsha(sha, keys, args)),
    eval: async (source, keys, args) => deep(await client.eval(source, keys, args)),
  };
}

function numbersToStrings(v: unknown): unknown {
  return typeof v === "number" ? String(v) : v;
}
