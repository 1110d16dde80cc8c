import { afterAll, beforeAll, expect, it } from "vitest";
import { acquireRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { startTestGateway, type TestGateway } from "./fixture.js";
import { RespCommandCounter, type RespProxy, startRespProxy } from "./resp-proxy.js";

let redisServer: TestRedis;
let proxy: RespProxy;
let t: TestGateway;

beforeAll(async () => {
  redisServer = await acquireRedis({ label: "gateway-test" });
  proxy = await startRespProxy(redisServer.url);
  t = await startTestGateway(proxy.url);
});
afterAll(async () => {
  await t?.gateway.close();
  await proxy?.close();
  await redisServer?.cleanup();
});

it("counts RESP commands split across chunks", () => {
  const counter = new RespCommandCounter();
  const wire = Buffer.from("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n");
  expect(counter.feed(wire.subarray(0, 7))).toBe(0);
  expect(counter.feed(wire.subarray(7, 25))).toBe(1);
  expect(counter.feed(wire.subarray(25))).toBe(1);
});

// If the gateway awaited each command before sending the next, the proxy (which withholds
// every reply until all 1000 commands have arrived) would never see command 2, the hold
// would never release and this test would time out rather than pass.
it("writes a whole /pipeline to Redis before reading any reply", async () => {
  const key = `${redisServer.prefix()}counter`;
  const commands = Array.from({ length: 1000 }, () => ["INCR", key]);

  const held = proxy.holdRepliesUntil(commands.length);
  const response = t.post("/pipeline", commands);
  // Resolving at all means 1000 commands reached Redis while no reply had reached the gateway.
  expect(await held).toBe(1000);

  const res = await response;
  expect(res.status).toBe(200);
  const items = (await res.json()) as Array<{ result: number }>;
  expect(items.map((i) => i.result)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
});

it("sends MULTI, the commands and EXEC in one write as well", async () => {
  const key = `${redisServer.prefix()}tx`;
  const commands = Array.from({ length: 10 }, () => ["INCR", key]);
  // MULTI + 10 commands + EXEC, on the dedicated transaction connection.
  const held = proxy.holdRepliesUntil(12);
  const response = t.post("/multi-exec", commands);
  expect(await held).toBe(12);
  const items = (await (await response).json()) as Array<{ result: number }>;
  expect(items.at(-1)).toEqual({ result: 10 });
});
