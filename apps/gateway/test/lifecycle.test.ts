import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireRedis, freePort, type TestRedis } from "../../../test/support/redis-server.js";
import { startGateway } from "../src/index.js";
import { startTestGateway } from "./fixture.js";

let redisServer: TestRedis;

beforeAll(async () => {
  redisServer = await acquireRedis({ label: "gateway-test" });
});
afterAll(async () => {
  await redisServer?.cleanup();
});

describe("startGateway", () => {
  it("refuses an empty token", async () => {
    await expect(startGateway({ port: 0, redisUrl: redisServer.url, token: "" })).rejects.toThrow(
      /token must be a non-empty string/,
    );
  });

  it("rejects instead of hanging when Redis is unreachable", async () => {
    const logged: string[] = [];
    const logger = { info: () => {}, error: (message: string) => logged.push(message) };
    // A port that was just free: nothing listens there.
    const port = await freePort();
    await expect(
      startGateway({ port: 0, redisUrl: `redis://127.0.0.1:${port}`, token: "t", logger }),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(logged.join("\n")).toMatch(/redis connection error: connect ECONNREFUSED/);
  });

  it("close() resolves with keep-alive clients connected, then refuses connections", async () => {
    const t = await startTestGateway(redisServer.url);
    // The client keeps its connection alive between requests.
    expect(await t.redis.ping()).toBe("PONG");
    await t.gateway.close();
    await t.gateway.close(); // idempotent
    await expect(fetch(`${t.gateway.url}/`, { method: "POST", body: "[]" })).rejects.toThrow();
  });

  it("runs blocking commands on a dedicated connection", async () => {
    const t = await startTestGateway(redisServer.url);
    try {
      const key = `${redisServer.prefix()}queue`;
      // If BLPOP sat on the shared connection, the RPUSH would queue behind it and BLPOP
      // would time out with null after 10 s instead of receiving the value.
      // (@upstash/redis has no blpop helper, so this one is a raw request.)
      const popped = t.post("/", ["BLPOP", key, 10]);
      expect(await t.redis.rpush(key, "job")).toBe(1);
      expect(await (await popped).json()).toEqual({ result: [key, "job"] });
    } finally {
      await t.gateway.close();
    }
  });
});
