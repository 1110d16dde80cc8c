import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCRIPTS } from "../../src/redis/scripts/index.js";
import { PRIMITIVE_SCRIPTS } from "../../src/redis/scripts/primitives.js";
import { acquireRedis, type TestRedis } from "./redis-client.js";

let redis: TestRedis;

beforeAll(async () => {
  redis = await acquireRedis();
});

afterAll(async () => {
  await redis?.cleanup();
});

describe("Redis scripts", () => {
  it("have unique names matching their SCRIPTS or PRIMITIVE_SCRIPTS entry", () => {
    const all = { ...SCRIPTS, ...PRIMITIVE_SCRIPTS };
    expect(Object.keys(all)).toHaveLength(
      Object.keys(SCRIPTS).length + Object.keys(PRIMITIVE_SCRIPTS).length,
    );
    for (const [name, script] of Object.entries(all)) expect(script.name).toBe(name);
  });

  // A stale literal would make every call fall back to EVAL (two round trips).
  it.each([...Object.values(SCRIPTS), ...Object.values(PRIMITIVE_SCRIPTS)])(
    "$name: the precomputed sha equals SCRIPT LOAD of its source",
    async ({ source, sha }) => {
      expect(sha).toMatch(/^[0-9a-f]{40}$/);
      expect(await redis.connection.sendCommand(["SCRIPT", "LOAD", source])).toBe(sha);
    },
  );
});
