import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

const src = (pkg: string) =>
  fileURLToPath(new URL(`../packages/${pkg}/src/index.ts`, import.meta.url));

export default defineProject({
  resolve: {
    alias: {
      "@dtw/core": src("core"),
      "@dtw/node": src("node"),
      "@dtw/upstash": src("upstash"),
    },
  },
  test: {
    name: "e2e",
    include: ["**/*.test.ts"],
    environment: "node",
    globalSetup: ["./global-setup.ts"],
    // Real processes and a real redis-server; every wait inside is bounded by its own deadline.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
