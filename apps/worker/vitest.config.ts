import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineProject({
  resolve: {
    alias: {
      "@dtw/core": here("../../packages/core/src/index.ts"),
      "@dtw/gateway": here("../gateway/src/index.ts"),
    },
  },
  test: {
    name: "worker",
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Each file boots workerd (Miniflare) and some talk to a real redis-server.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
