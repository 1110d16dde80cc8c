import { createRequire } from "node:module";
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

/**
 * Bundles `fixtures/<name>.ts` (TypeScript importing `@dtw/*` sources and their dependencies)
 * into one CommonJS file in `outdir` that a child process or worker thread runs with plain
 * `node`, and returns its path. Children cannot use vitest's aliases; bundling from sources
 * (rather than running the packages' `dist`) means they always run the code under test, with no
 * build step to forget. CommonJS because node-redis is CommonJS, and `require` of Node built-ins
 * from an ESM bundle fails.
 */
export async function bundleFixture(name: string, outdir: string): Promise<string> {
  const outfile = join(outdir, `${name}.cjs`);
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
}
