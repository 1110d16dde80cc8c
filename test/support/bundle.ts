import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** What children import, mapped to sources exactly as the vitest aliases do. */
const ALIASES = {
  "@dtw/core": join(repo, "packages/core/src/index.ts"),
  "@dtw/node": join(repo, "packages/node/src/index.ts"),
  "@dtw/upstash": join(repo, "packages/upstash/src/index.ts"),
};

interface Esbuild {
  build(options: Record<string, unknown>): Promise<unknown>;
}

/**
 * esbuild is not a dependency of the root (this folder is not a workspace package); it is a
 * dependency of tsup, which the root does depend on, so load it from there.
 */
function loadEsbuild(): Esbuild {
  const fromRoot = createRequire(join(repo, "package.json"));
  const fromTsup = createRequire(fromRoot.resolve("tsup/package.json"));
  return fromTsup("esbuild") as Esbuild;
}

const bundles = new Map<string, Promise<string>>();
let outdir: string | undefined;

/** One temporary folder per test process, removed when it exits. */
function bundleDir(): string {
  if (!outdir) {
    const dir = mkdtempSync(join(tmpdir(), "dtw-e2e-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    outdir = dir;
  }
  return outdir;
}

/**
 * Bundles a fixture (TypeScript, importing `@dtw/*` sources and their dependencies) into one
 * CommonJS file that a child process or worker thread can run with plain `node`. Children
 * cannot use vitest's aliases; bundling from sources (rather than running packages' `dist`)
 * means the children always run the code under test, with no build step to forget. CommonJS
 * because node-redis is CommonJS and `require` of Node built-ins from an ESM bundle fails.
 * Cached per test process.
 */
export function bundleFixture(name: string): Promise<string> {
  let bundle = bundles.get(name);
  if (!bundle) {
    bundle = (async () => {
      const outfile = join(bundleDir(), `${name}.cjs`);
      await loadEsbuild().build({
        entryPoints: [join(repo, "test/fixtures", `${name}.ts`)],
        outfile,
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        alias: ALIASES,
        logLevel: "error",
      });
      return outfile;
    })();
    bundles.set(name, bundle);
  }
  return bundle;
}
