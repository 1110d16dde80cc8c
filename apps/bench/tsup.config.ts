import { fileURLToPath } from "node:url";
import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/run.ts", "src/gateway-process.ts"],
  format: ["esm"],
  clean: true,
  target: "node20",
  platform: "node",
  // The gateway is an app: nothing builds its dist before `pnpm bench`, so bundle it from
  // sources. The packages (@dtw/core, node, upstash) run from their dist, as users get them.
  noExternal: ["@dtw/gateway"],
  esbuildOptions(options) {
    options.alias = {
      "@dtw/gateway": fileURLToPath(new URL("../gateway/src/index.ts", import.meta.url)),
    };
  },
});
