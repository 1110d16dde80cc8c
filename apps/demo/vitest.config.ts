import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

export default defineProject({
  resolve: {
    // Tests run from sources (only the Redis-mode child processes run built code).
    alias: {
      "@dtw/core": fileURLToPath(new URL("../../packages/core/src/index.ts", import.meta.url)),
      "@dtw/node": fileURLToPath(new URL("../../packages/node/src/index.ts", import.meta.url)),
    },
  },
  test: { name: "demo", include: ["test/**/*.test.ts"], environment: "node" },
});
