import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";
import { createClient } from "redis";

const resp2Client = (url: string) => createClient({ url, RESP: 2 });

/** A RESP2 node-redis client, as tests use it for setup and checks. */
export type TestClient = ReturnType<typeof resp2Client>;

export interface TestRedis {
  url: string;
  /** Connected, RESP2; closed by `cleanup`. */
  client: TestClient;
  /** A fresh key prefix; everything under it is deleted by `cleanup`. */
  prefix(): string;
  /** Keys under `prefix` now. */
  keys(prefix: string): Promise<string[]>;
  cleanup(): Promise<void>;
}

/**
 * REDIS_URL (default redis://127.0.0.1:6379) when it answers, else a private redis-server.
 * A shared server is only touched under random prefixes (several test files run at once), and
 * never flushed.
 */
export async function acquireRedis(): Promise<TestRedis> {
  const shared = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const spawned = (await answers(shared)) ? undefined : await startRedisServer();
  const url = spawned?.url ?? shared;
  const client = resp2Client(url);
  client.on("error", () => {});
  await client.connect();
  const prefixes: string[] = [];
  const keys = async (prefix: string) => {
    const found: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      found.push(...batch);
    }
    return found;
  };
  return {
    url,
    client,
    prefix() {
      const prefix = `dtw-test:${randomUUID()}:`;
      prefixes.push(prefix);
      return prefix;
    },
    keys,
    async cleanup() {
      for (const prefix of prefixes) {
        const found = await keys(prefix);
        if (found.length > 0) await client.del(found);
      }
      await client.close();
      await spawned?.stop();
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
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

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts a private, non-persistent redis-server on `port` (a free one by default). */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  const chosen = port ?? (await freePort());
  const child = spawn(
    "redis-server",
    ["--port", String(chosen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await readyLine(child);
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Resolves on redis-server's own "ready" log line, not after a guessed delay. */
function readyLine(child: ChildProcess): Promise<void> {
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

/** A port nothing listens on right now (the OS picked it, then we released it). */
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

/**
 * Whether `redis-server` (and `redis-cli`) can be started here. CI installs them, so there a
 * missing binary fails loudly instead of skipping.
 */
export function canStartRedisServer(): boolean {
  const found = spawnSync("redis-server", ["--version"]).status === 0;
  if (!found && process.env.CI) throw new Error("redis-server is not installed on this CI runner");
  return found;
}
