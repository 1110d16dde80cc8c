import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineProject({
  resolve: {
    alias: {
      "@dtw/core": src("../core/src/index.ts"),
      "@dtw/upstash": src("./src/index.ts"),
    },
  },
  test: {
    name: "upstash",
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Real gateway + redis-server round trips: generous for a loaded CI box.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
