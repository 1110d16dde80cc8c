import { createClient, RESP_TYPES } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeRedisClient } from "../src/client.js";
import { toResp2 } from "../src/resp.js";
import { acquireRedis, type TestRedis } from "./support/redis.js";
import { TRICKY_ITEMS } from "./support/tricky.js";

const ECHO = "return {KEYS[1], ARGV}";
const ECHO_SHA_UNKNOWN = "0".repeat(40);

let redis: TestRedis;
beforeAll(async () => {
  redis = await acquireRedis();
});
afterAll(async () => {
  await redis.cleanup();
});

describe.each([
  ["RESP2", { RESP: 2 as const }],
  ["RESP3 (node-redis 6 default)", {}],
])("nodeRedisClient on a %s client", (_, options) => {
  it("returns script replies byte-exact, in RESP2 shape", async () => {
    const client = createClient({ url: redis.url, ...options });
    await client.connect();
    try {
      const adapter = nodeRedisClient(client);
      const key = `${redis.prefix()}k`;
      expect(await adapter.eval(ECHO, [key], [...TRICKY_ITEMS])).toEqual([key, TRICKY_ITEMS]);
      expect(await adapter.eval("return {1, false, true, nil}", [key], [])).toEqual([1, null, 1]);
    } finally {
      await client.close();
    }
  });

  it("rejects EVALSHA of an unknown script with an error naming NOSCRIPT", async () => {
    const client = createClient({ url: redis.url, ...options });
    await client.connect();
    try {
      await expect(nodeRedisClient(client).evalsha(ECHO_SHA_UNKNOWN, ["k"], [])).rejects.toThrow(
        /NOSCRIPT/,
      );
    } finally {
      await client.close();
    }
  });
});

it("decodes Buffers when the client maps bulk strings to Buffer", async () => {
  const client = createClient({ url: redis.url }).withTypeMapping({
    [RESP_TYPES.BLOB_STRING]: Buffer,
  });
  await client.connect();
  try {
    const reply = await nodeRedisClient(client).eval(ECHO, ["k"], [...TRICKY_ITEMS]);
    expect(reply).toEqual(["k", TRICKY_ITEMS]);
  } finally {
    await client.close();
  }
});

it("refuses something that is not a node-redis client with a ConfigError", () => {
  expect(() => nodeRedisClient({} as never)).toThrow("Invalid client: object");
  expect(() => nodeRedisClient(null as never)).toThrow("Invalid client: null");
});

describe("toResp2", () => {
  it("maps RESP3 types to their RESP2 shape", () => {
    expect(toResp2(new Map([["a", new Map([["b", 1]])]]))).toEqual(["a", ["b", 1]]);
    expect(toResp2(new Set(["x"]))).toEqual(["x"]);
    expect(toResp2({ f: Buffer.from("v") })).toEqual(["f", "v"]);
    expect(toResp2([true, false, 12n, undefined])).toEqual([1, null, "12", null]);
    expect(toResp2(Buffer.from("😀"))).toBe("😀");
  });
});
