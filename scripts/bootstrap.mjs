#!/usr/bin/env node
// Entry point of `npm run demo|test|bench` on a fresh clone with only Node >= 20: installs the
// workspace with the pinned pnpm when needed, builds stale packages, then runs the task.
// Plain Node ESM without dependencies: it runs before node_modules exists.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PNPM = ["-y", "pnpm@12.4.2"];
const HASH_FILE = join(ROOT, "node_modules", ".dtw-install-hash");
const TASKS = { demo, test, bench };

const log = (message) => console.log(`[dtw] ${message}`);

/** Thrown for an expected failure: its message is printed without a stack trace. */
class TaskError extends Error {}

function main() {
  const [task, ...args] = process.argv.slice(2);
  const run = TASKS[task];
  if (!run) {
    throw new TaskError(
      `unknown task ${JSON.stringify(task)}: use one of ${Object.keys(TASKS).join(", ")}`,
    );
  }
  checkNode();
  install();
  const built = buildPackages();
  // Tests run from sources, so a broken build still lets them run (and report); apps need dist/.
  if (!built && task !== "test") throw new TaskError("build failed");
  return run(args, built);
}

function checkNode() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 10)) {
    throw new TaskError(
      `Node ${process.versions.node} is too old: this project needs Node >= 20.10`,
    );
  }
}

/** Runs a command in ROOT with inherited stdio; returns its exit status. */
function spawn(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", ...options });
  if (result.error) throw new TaskError(`${command} could not start: ${result.error.message}`);
  return result.status ?? 1;
}

function npx() {
  return process.platform === "win32" ? "npx.cmd" : "npx";
}

/** `pnpm <args>` through npx, so no global pnpm is needed. */
function pnpm(args, options) {
  return spawn(npx(), [...PNPM, ...args], options);
}

function mustPnpm(args, what) {
  const status = pnpm(args);
  if (status !== 0) throw new TaskError(`${what} failed (exit ${status})`);
}

/** What the install depends on: the lockfile and the workspace settings. */
function installHash() {
  const hash = createHash("sha256");
  for (const file of ["pnpm-lock.yaml", "pnpm-workspace.yaml"]) {
    const path = join(ROOT, file);
    hash.update(`${file}\0`);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest("hex");
}

function install() {
  const wanted = installHash();
  const current = existsSync(HASH_FILE) ? readFileSync(HASH_FILE, "utf8").trim() : "";
  if (current === wanted) return;
  log(
    existsSync(join(ROOT, "node_modules"))
      ? "lockfile changed since the last install: installing"
      : "installing dependencies",
  );
  const started = Date.now();
  mustPnpm(["install", "--frozen-lockfile"], "pnpm install");
  writeFileSync(HASH_FILE, `${wanted}\n`);
  log(`installed in ${seconds(started)}`);
}

/** Newest modification time under `path` (files only), skipping node_modules and dist. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry === "dist") continue;
    max = Math.max(max, newest(join(path, entry)));
  }
  return max;
}

/** Oldest modification time of the files in `dir` (recursively), or 0 when it has none. */
function oldest(dir) {
  if (!existsSync(dir)) return 0;
  let min = Number.POSITIVE_INFINITY;
  for (const entry of readdirSync(dir, { recursive: true })) {
    const stat = statSync(join(dir, entry));
    if (stat.isFile()) min = Math.min(min, stat.mtimeMs);
  }
  return Number.isFinite(min) ? min : 0;
}

/** Workspace packages under `folder` (e.g. "packages") as { dir, manifest }. */
function workspacePackages(folder) {
  const base = join(ROOT, folder);
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .map((name) => join(base, name))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }));
}

/**
 * Builds every package under packages/ when any dist is missing or older than its sources.
 * Returns false when the build failed.
 */
function buildPackages() {
  const stale = workspacePackages("packages").filter(({ dir, manifest }) => {
    if (!manifest.scripts?.build) return false;
    const sources = Math.max(
      newest(join(dir, "src")),
      newest(join(dir, "package.json")),
      newest(join(dir, "tsup.config.ts")),
      newest(join(dir, "tsconfig.json")),
    );
    const built = oldest(join(dir, "dist"));
    return built === 0 || built < sources;
  });
  if (stale.length === 0) return true;
  log(`building packages (${stale.map((p) => p.manifest.name).join(", ")} out of date)`);
  const started = Date.now();
  // Quiet when it works; the whole tsup output when it does not.
  const result = spawnSync(npx(), [...PNPM, "-r", "--filter", "./packages/*", "run", "build"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? "");
    process.stderr.write(result.stderr ?? "");
    log(`build failed (exit ${result.status ?? result.error?.message})`);
    return false;
  }
  log(`built in ${seconds(started)}`);
  return true;
}

/** Runs the workspace app named `name` (its `start` script), passing `args` through. */
function startApp(name, args) {
  const found = ["apps", "packages"]
    .flatMap(workspacePackages)
    .some((p) => p.manifest.name === name);
  if (!found) throw new TaskError(`no workspace package named ${name} (expected under apps/)`);
  const status = pnpm(["--filter", name, "start", ...args]);
  process.exitCode = status;
}

function demo(args) {
  startApp("@dtw/demo", args);
}

function bench(args) {
  startApp("@dtw/bench", args);
}

/**
 * Quality gates, then every vitest project. Extra arguments go to vitest (e.g. `--project core`).
 * Ends with a plain `N passed, N failed[, N skipped]` line computed from vitest's JSON report.
 */
function test(args, built) {
  const started = Date.now();
  let failed = !built;
  if (process.env.DTW_SKIP_CHECK === "1") {
    log("DTW_SKIP_CHECK=1: skipping pnpm run check");
  } else {
    log("pnpm run check (typecheck, lint, publint, attw, size)");
    const status = pnpm(["run", "check"]);
    if (status !== 0) {
      failed = true;
      log(`check failed (exit ${status}); running the tests anyway`);
    } else {
      log(`check passed in ${seconds(started)}`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "dtw-vitest-"));
  const report = join(dir, "report.json");
  const vitestStarted = Date.now();
  try {
    log("vitest run");
    const status = pnpm([
      "exec",
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
      ...args,
    ]);
    if (status !== 0) failed = true;
    const counts = readCounts(report);
    if (!counts) {
      log("vitest wrote no JSON report");
      failed = true;
    } else {
      if (counts.failed > 0 || counts.passed === 0) failed = true;
      log(`vitest ${seconds(vitestStarted)}; ${failed ? "FAILED" : "ok"} in ${seconds(started)}`);
      const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : "";
      console.log(`${counts.passed} passed, ${counts.failed} failed${skipped}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

/** Test counts from vitest's JSON report, or undefined when there is none. */
function readCounts(path) {
  if (!existsSync(path)) return undefined;
  const json = JSON.parse(readFileSync(path, "utf8"));
  // Suites that failed to load count as failures: their tests never ran.
  const brokenFiles = (json.testResults ?? []).filter(
    (file) => file.status === "failed" && (file.assertionResults ?? []).length === 0,
  ).length;
  return {
    passed: json.numPassedTests ?? 0,
    failed: (json.numFailedTests ?? 0) + brokenFiles,
    skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
  };
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

try {
  main();
} catch (error) {
  if (!(error instanceof TaskError)) throw error;
  log(`error: ${error.message}`);
  process.exitCode = 1;
}
