import { afterAll, beforeAll } from "vitest";
import { describePrimitives } from "../../node/test/support/primitives-suite.js";
import { UpstashAccumulator, UpstashSortedSet } from "../src/primitives.js";
import { startUpstash, type TestUpstash } from "./support/gateway.js";

let up: TestUpstash;
beforeAll(async () => {
  up = await startUpstash();
});
afterAll(async () => {
  await up.cleanup();
});

describePrimitives("Upstash REST", () => {
  const prefix = up.redis.prefix();
  let n = 0;
  // Two independent HTTP clients: the gateway runs their requests on separate connections.
  const clients = [up.client(), up.client({ enableAutoPipelining: false })] as const;
  return {
    key: () => `${prefix}${++n}`,
    accumulator: (key, c) => new UpstashAccumulator(clients[c], key),
    sortedSet: (key, c) => new UpstashSortedSet(clients[c], key),
  };
});
