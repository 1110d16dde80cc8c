import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/cloudflare.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  // Runs in Workers and browsers: no Node built-ins may resolve.
  platform: "neutral",
});
