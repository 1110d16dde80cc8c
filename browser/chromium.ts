// Finds a system Chromium for browser tests. Nothing is downloaded: CI installs Debian's
// `chromium` with apt (.ci/run); elsewhere set CHROMIUM_PATH or install one.
import { existsSync } from "node:fs";

const CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome-stable",
  "/usr/bin/google-chrome",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

/**
 * Launch flags for headless Chromium as root in a sandboxed, offline box: without the
 * background-networking flags Chromium keeps dialing Google hosts that this network refuses.
 */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** `CHROMIUM_PATH` when set (it must exist), else the first known install found, else undefined. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.CHROMIUM_PATH;
  if (explicit) {
    if (!existsSync(explicit)) {
      throw new Error(`CHROMIUM_PATH=${JSON.stringify(explicit)} does not exist`);
    }
    return explicit;
  }
  return CANDIDATES.find((path) => existsSync(path));
}
