// Refreshes the SHA-1 literals of the Redis scripts in src/redis/scripts/ after their Lua changed.
// Tooling only (it uses node:crypto); core itself ships the precomputed literals, and
// test/redis/scripts.test.ts checks them against SCRIPT LOAD on a real Redis.
// Usage: node packages/core/scripts/update-script-shas.mjs [--check]
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = new URL("../src/redis/scripts/", import.meta.url).pathname;
const check = process.argv.includes("--check");

// Sources are plain template literals: no escapes, no interpolation, so raw text == runtime value.
const literal = (raw, where) => {
  if (raw.includes("\\") || raw.includes("${")) {
    throw new Error(`${where}: keep Lua sources free of backslashes and \${ }`);
  }
  return raw;
};

const preludeMatch = /const PRELUDE = `([^`]*)`;/.exec(
  readFileSync(join(dir, "prelude.ts"), "utf8"),
);
if (!preludeMatch) throw new Error("prelude.ts: PRELUDE template literal not found");
const prelude = literal(preludeMatch[1], "PRELUDE");

// script(): the window PRELUDE then the body; bareScript() (seed primitives): the body alone.
const call = /\b(script|bareScript)\(\s*"([^"]+)",\s*"([0-9a-f]*)",\s*`([^`]*)`/g;
let stale = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "prelude.ts")) {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  const updated = text.replace(call, (whole, kind, name, sha, body) => {
    const head = kind === "script" ? prelude : "";
    const fresh = createHash("sha1")
      .update(head + literal(body, name))
      .digest("hex");
    if (fresh === sha) return whole;
    stale++;
    console.log(`${file}: ${name} ${sha || "(none)"} -> ${fresh}`);
    return whole.replace(`"${sha}"`, `"${fresh}"`);
  });
  if (!check && updated !== text) writeFileSync(path, updated);
}
if (check && stale > 0) {
  console.error(
    `${stale} script SHA(s) out of date: run node packages/core/scripts/update-script-shas.mjs`,
  );
  process.exit(1);
}
console.log(stale === 0 ? "script SHAs up to date" : `updated ${stale} script SHA(s)`);
