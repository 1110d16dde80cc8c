import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";
import { createClient } from "redis";

/** Raw command access to the test Redis, for setup and for checking what the gateway did. */
export interface AdminClient {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface TestRedis {
  url: string;
  admin: AdminClient;
  /** A fresh key prefix; everything under it is deleted by `cleanup`. */
  prefix(): string;
  /** Deletes every key under the prefixes handed out, then closes (and stops a spawned server). */
  cleanup(): Promise<void>;
}

/**
 * Uses REDIS_URL (default redis://127.0.0.1:6379) when it answers PING, else spawns a private
 * redis-server on a free port. Shared servers are only ever touched under random prefixes:
 * several test files run at once and other people's data may live there, so no FLUSHDB.
 */
export async function acquireRedis(): Promise<TestRedis> {
  const sharedUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const spawned = (await answersPing(sharedUrl)) ? undefined : await spawnRedis();
  const url = spawned?.url ?? sharedUrl;

  const client = createClient({ url, RESP: 2 });
  client.on("error", () => {}); // surfaced through rejected commands instead
  await client.connect();
  const admin: AdminClient = {
    sendCommand: (args) => client.sendCommand(args),
  };
  const prefixes: string[] = [];

  return {
    url,
    admin,
    prefix() {
      const prefix = `dtw-gateway-test:${randomUUID()}:`;
      prefixes.push(prefix);
      return prefix;
    },
    async cleanup() {
      for (const prefix of prefixes) await deleteByPrefix(admin, prefix);
      await client.close();
      await spawned?.stop();
    },
  };
}

async function deleteByPrefix(admin: AdminClient, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = (await admin.sendCommand([
      "SCAN",
      cursor,
      "MATCH",
      `${prefix}*`,
      "COUNT",
      "1000",
    ])) as [string, string[]];
    if (keys.length > 0) await admin.sendCommand(["DEL", ...keys]);
    cursor = next;
  } while (cursor !== "0");
}

async function answersPing(url: string): Promise<boolean> {
  const client = createClient({
    url,
    socket: { connectTimeout: 1_000, reconnectStrategy: false },
  });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

interface SpawnedRedis {
  url: string;
  stop(): Promise<void>;
}

async function spawnRedis(): Promise<SpawnedRedis> {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await waitUntilReady(child);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
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

/** Asks the OS for a free port. Another process could take it before redis binds: rare. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  server.close();
  await once(server, "close");
  return port;
}
