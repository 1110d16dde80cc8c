// One vitest run for the whole monorepo: a project per package/app, each run from sources.
// Projects whose folder does not exist yet are left out, so the config works mid-build.
import { existsSync, readdirSync } from "node:fs";
import { basename, resolve } from "node:path";
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
 * Tests await real things (redis-server, workerd, Chromium, child processes) with their own
 * bounded deadlines; these only stop a hang, with room for a loaded CI machine.
 */
const TIMEOUTS = { testTimeout: 20_000, hookTimeout: 30_000 };

type TestOptions = NonNullable<TestProjectInlineConfiguration["test"]>;

/**
 * A project rooted at `dir`. When `dir` has its own vitest.config.ts (its author's settings:
 * timeouts, plugins, includes), that file is extended and `defaults` are left out; the root only
 * adds the name, the source aliases and the dist/ exclusion. `forced` applies either way.
 */
function project(
  name: string,
  dir: string,
  defaults: TestOptions = {},
  forced: TestOptions = {},
): TestProjectInlineConfiguration[] {
  if (!existsSync(abs(dir))) return [];
  const local = abs(`${dir}/vitest.config.ts`);
  const hasLocal = existsSync(local);
  return [
    {
      extends: hasLocal ? local : undefined,
      resolve: { alias },
      test: {
        ...(hasLocal ? {} : { include: ["test/**/*.test.ts"], ...TIMEOUTS, ...defaults }),
        name,
        root: abs(dir),
        exclude,
        ...forced,
      },
    },
  ];
}

/** Workspace folders with tests that the list below does not name (e.g. a new app). */
function otherProjects(known: string[]): TestProjectInlineConfiguration[] {
  return ["apps", "packages"]
    .flatMap((parent) =>
      existsSync(abs(parent)) ? readdirSync(abs(parent)).map((d) => `${parent}/${d}`) : [],
    )
    .filter((dir) => !known.includes(dir) && existsSync(abs(`${dir}/test`)))
    .flatMap((dir) => project(basename(dir), dir));
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
  return project("core-browser", "packages/core", undefined, {
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

const KNOWN = [
  "packages/core",
  "packages/node",
  "packages/upstash",
  "apps/gateway",
  "apps/worker",
  "apps/demo",
];

export default defineConfig({
  test: {
    projects: [
      ...project("core", "packages/core", undefined, {
        include: ["test/**/*.test.ts"],
        exclude: [...exclude, "test/**/*.browser.test.ts"],
      }),
      ...coreBrowser(),
      ...project("node", "packages/node"),
      ...project("upstash", "packages/upstash"),
      ...project("gateway", "apps/gateway"),
      ...project("worker", "apps/worker"),
      ...project("demo", "apps/demo"),
      ...project("e2e", "test", {
        include: ["**/*.test.ts"],
        testTimeout: 30_000,
        hookTimeout: 30_000,
      }),
      ...otherProjects(KNOWN),
    ],
  },
});
