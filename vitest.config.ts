// One vitest run for the whole monorepo: a project per package/app, each run from sources.
// Projects whose folder does not exist yet are left out, so the config works mid-build.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { CHROMIUM_FLAGS, findChromium } from "./browser/chromium.ts";

const here = import.meta.dirname;
const abs = (path: string) => resolve(here, path);

/** Tests import workspace packages by name; these point them at sources, never at dist/. */
const alias = {
  "@dtw/core": abs("packages/core/src/index.ts"),
  "@dtw/node": abs("packages/node/src/index.ts"),
  "@dtw/upstash": abs("packages/upstash/src/index.ts"),
};

const exclude = ["**/node_modules/**", "**/dist/**", "**/.wrangler/**", "**/bench-results/**"];

/**
 * A project rooted at `dir`. When `dir` has its own vitest.config.ts (set up by the package's
 * author, e.g. a pool-workers plugin or timeouts), it is extended, and the root adds aliases.
 */
function project(
  name: string,
  dir: string,
  test: TestProjectInlineConfiguration["test"] = {},
): TestProjectInlineConfiguration[] {
  if (!existsSync(abs(dir))) return [];
  const local = abs(`${dir}/vitest.config.ts`);
  return [
    {
      extends: existsSync(local) ? local : undefined,
      resolve: { alias },
      test: {
        name,
        root: abs(dir),
        include: ["test/**/*.test.ts"],
        exclude,
        ...test,
      },
    },
  ];
}

/** Browser-mode project for core, in a system Chromium (required on CI, skipped elsewhere). */
function coreBrowser(): TestProjectInlineConfiguration[] {
  const chromium = findChromium();
  if (!chromium) {
    const hint = "install chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH";
    if (process.env.CI) throw new Error(`No Chromium for the core-browser project: ${hint}`);
    console.warn(`[dtw] core-browser project skipped: no Chromium found; ${hint}`);
    return [];
  }
  return project("core-browser", "packages/core", {
    include: ["test/**/*.browser.test.ts"],
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      instances: [{ browser: "chromium" }],
      provider: playwright({ launchOptions: { executablePath: chromium, args: CHROMIUM_FLAGS } }),
    },
  });
}

export default defineConfig({
  test: {
    projects: [
      ...project("core", "packages/core", {
        exclude: [...exclude, "test/**/*.browser.test.ts"],
      }),
      ...coreBrowser(),
      ...project("node", "packages/node"),
      ...project("upstash", "packages/upstash"),
      ...project("gateway", "apps/gateway"),
      ...project("worker", "apps/worker"),
      ...project("e2e", "test", {
        include: ["**/*.test.ts"],
        testTimeout: 30_000,
        hookTimeout: 30_000,
      }),
    ],
  },
});
