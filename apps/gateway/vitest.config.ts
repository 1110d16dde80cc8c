import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "gateway",
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Real redis-server round trips; generous so a loaded CI box does not flake.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
