import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";
import { RespClient } from "./resp.js";

/** The Redis a test file runs against, with its own key prefixes. */
export interface TestRedis {
  readonly url: string;
  /** A fresh random key prefix; `cleanup` deletes every key under it. */
  prefix(): string;
  /** Deletes the keys under every prefix handed out, closes, stops a server it spawned. */
  cleanup(): Promise<void>;
}

/**
 * Uses REDIS_URL (default redis://127.0.0.1:6379) when it answers PING, else spawns a private
 * redis-server on a free port. A shared server is only touched under random prefixes (several
 * test files run at once, other data may live there): never FLUSHDB.
 */
export async function acquireRedis(): Promise<TestRedis> {
  const sharedUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const spawned = (await answersPing(sharedUrl)) ? undefined : await spawnRedis();
  const url = spawned?.url ?? sharedUrl;
  const admin = await RespClient.connect(url);
  const prefixes: string[] = [];
  return {
    url,
    prefix() {
      const prefix = `dtw-e2e:${randomBytes(6).toString("hex")}:`;
      prefixes.push(prefix);
      return prefix;
    },
    async cleanup() {
      try {
        for (const prefix of prefixes) await deleteByPrefix(admin, prefix);
      } finally {
        admin.close();
        await spawned?.stop();
      }
    },
  };
}

async function scanKeys(client: RespClient, prefix: string): Promise<string[]> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = (await client.send("SCAN", cursor, "MATCH", pattern, "COUNT", 1000)) as [
      string,
      string[],
    ];
    keys.push(...batch);
    cursor = next;
  } while (cursor !== "0");
  return keys;
}

/**
 * Deletes every key under `prefix`, then checks that none is left: a test that leaves keys
 * behind fails. A second pass covers a write of a just-killed node still in Redis's queue.
 */
async function deleteByPrefix(client: RespClient, prefix: string): Promise<void> {
  for (let pass = 1; pass <= 2; pass++) {
    const keys = await scanKeys(client, prefix);
    for (let i = 0; i < keys.length; i += 500) await client.send("DEL", ...keys.slice(i, i + 500));
  }
  const left = (await scanKeys(client, prefix)).length;
  if (left > 0) throw new Error(`${left} keys under ${prefix} survived the cleanup`);
}

async function answersPing(url: string): Promise<boolean> {
  try {
    const client = await RespClient.connect(url, 1_000);
    try {
      return (await client.send("PING")) === "PONG";
    } finally {
      client.close();
    }
  } catch {
    return false;
  }
}

/** A redis-server this test started (and may kill): never the shared one. */
export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** SIGKILL: the server vanishes with connections open. */
  kill(): Promise<void>;
  /** Graceful stop (no-op when already gone). */
  stop(): Promise<void>;
}

export async function spawnRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await waitUntilReady(child);
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill(signal);
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => stopWith("SIGKILL"),
    stop: () => stopWith("SIGTERM"),
  };
}

/** Resolves on redis-server's own "ready" log line rather than after a guessed delay. */
function waitUntilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
}

/** Asks the OS for a free port. Another process could take it before the server binds: rare. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  server.close();
  await once(server, "close");
  return port;
}
