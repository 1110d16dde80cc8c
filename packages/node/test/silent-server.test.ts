// A server that accepts TCP connections and never answers (a hung Redis, a black-holed proxy):
// calls must still end, by timeout or by close(), never hang.
import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { DistributedTimeWindow, StoreError } from "@dtw/core";
import { afterEach, beforeEach, expect, it } from "vitest";
import { redisStore } from "../src/store.js";

let server: Server;
let sockets: Socket[];
let url: string;
beforeEach(async () => {
  sockets = [];
  server = createServer((socket) => {
    sockets.push(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  url = `redis://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  server.close();
  await once(server, "close");
});

const window = (store: ReturnType<typeof redisStore>) =>
  new DistributedTimeWindow<string>({ name: "silent", store, timeoutMs: "1 h", autoTick: false });

it("close() during the first connection releases a waiting push with a StoreError", async () => {
  const store = redisStore(url, { connectTimeoutMs: 60_000, commandTimeoutMs: 60_000 });
  const pushed = window(store)
    .push("a")
    .catch((e: unknown) => e);
  await once(server, "connection");
  const started = performance.now();
  await store.close();
  expect(await pushed).toBeInstanceOf(StoreError);
  expect(performance.now() - started).toBeLessThan(1000);
});

it("a push to a server that never answers rejects within the timeouts", async () => {
  const store = redisStore(url, { connectTimeoutMs: 300, commandTimeoutMs: 300 });
  const started = performance.now();
  const error = await window(store)
    .push("a")
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StoreError);
  expect(performance.now() - started).toBeLessThan(3000);
  await store.close();
});
