import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { acquireRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { expectExactlyOnce, runCaptured } from "./run-demo.js";

const root = fileURLToPath(new URL("..", import.meta.url));

let redis: TestRedis;
beforeAll(async () => {
  // The demo picks its own random prefix and drops its streams at the end.
  redis = await acquireRedis({ label: "demo-test" });
  // The nodes are real child processes: they run the built child entry (and @dtw/node's dist).
  const tsup = `${root}node_modules/tsup/dist/cli-default.js`;
  execFileSync(process.execPath, [tsup, "--silent"], { cwd: root, stdio: "inherit" });
}, 30_000);
afterAll(async () => {
  await redis?.cleanup();
});

test("nodes in separate processes sharing Redis deliver every element exactly once", async () => {
  const { result, text } = await runCaptured(
    { durationS: 1.5, rate: 600, nodes: 3, seed: 11, quiet: true },
    { kind: "redis", redisUrl: redis.url, childModule: `${root}dist/child.js` },
  );

  expect(text).toContain("3 node processes sharing one Redis");
  expectExactlyOnce(result);
}, 20_000);
