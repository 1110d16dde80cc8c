import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, test } from "vitest";
import { runDemo } from "../src/demo.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

beforeAll(() => {
  // The nodes are real child processes: they run the built child entry (and @dtw/node's dist).
  const tsup = `${root}node_modules/tsup/dist/cli-default.js`;
  execFileSync(process.execPath, [tsup, "--silent"], { cwd: root, stdio: "inherit" });
}, 30_000);

test("nodes in separate processes sharing Redis deliver every element exactly once", async () => {
  const chunks: string[] = [];
  const output = { write: (s: string) => void chunks.push(s), isTTY: false };

  const result = await runDemo(
    { durationS: 1.5, rate: 600, nodes: 3, seed: 11, quiet: true },
    output,
    {
      kind: "redis",
      redisUrl,
      childModule: `${root}dist/child.js`,
    },
  );

  const text = chunks.join("");
  expect(text).toContain("3 node processes sharing one Redis");
  for (const s of result.summary.streams) {
    expect(s.in).toBeGreaterThan(0);
    expect(s.out).toBe(s.in);
    expect(s.missing).toBe(0);
    expect(s.duplicates).toBe(0);
    expect(s.maxSize).toBeLessThanOrEqual(s.maxCount);
    expect(s.orderViolations).toBe(0);
  }
  expect(result.summary.checks.filter((c) => !c.ok)).toEqual([]);
  expect(result.ok).toBe(true);
}, 20_000);
