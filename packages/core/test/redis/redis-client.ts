// Test-side plumbing for RedisStore: a real Redis reached through node-redis, adapted to the
// narrow RedisScriptClient. Node-only: browser tests (*.browser.test.ts) never import this.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { createClient } from "redis";
import type { RedisScriptClient } from "../../src/redis/client.js";

/** The part of a node-redis client these tests use (its full type is RESP3-generic). */
export interface Connection {
  sendCommand(args: string[]): Promise<unknown>;
  close(): Promise<unknown>;
}

/** A Redis for one test file, with its own random key prefixes. */
export interface TestRedis {
  /** Harness connection (setup, SCAN, cleanup). */
  readonly connection: Connection;
  readonly url: string;
  /** A fresh random key prefix; `cleanup` deletes every key under it. */
  prefix(): string;
  /** Deletes the keys under every prefix handed out, disconnects, stops a server it started. */
  cleanup(): Promise<void>;
}

/**
 * REDIS_URL (default redis://127.0.0.1:6379) when it answers, else a private redis-server on a
 * free port. A shared server is only touched under random prefixes: never FLUSHDB or KEYS.
 */
export async function acquireRedis(): Promise<TestRedis> {
  const shared = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  let server: ChildProcess | undefined;
  let url = shared;
  let connection = await connect(url).catch(() => undefined);
  if (!connection) {
    ({ server, url } = await startRedisServer());
    connection = await connect(url);
  }
  const admin = connection;
  const prefixes: string[] = [];
  return {
    connection: admin,
    url,
    prefix() {
      const prefix = `dtw-test:${Math.random().toString(36).slice(2, 10)}:`;
      prefixes.push(prefix);
      return prefix;
    },
    async cleanup() {
      for (const prefix of prefixes) {
        const keys = await keysUnder(admin, prefix);
        for (let i = 0; i < keys.length; i += 500) {
          await admin.sendCommand(["DEL", ...keys.slice(i, i + 500)]);
        }
      }
      await admin.close();
      if (server && server.exitCode === null) {
        const exited = once(server, "exit");
        server.kill();
        await exited;
      }
    },
  };
}

export async function connect(url: string): Promise<Connection> {
  const client = createClient({ url, RESP: 2, socket: { reconnectStrategy: false } });
  client.on("error", () => {}); // connection errors surface as rejected commands
  await client.connect();
  return client as unknown as Connection;
}

/** Commands a {@link scriptClient} sent, by kind. */
export interface SentCommands {
  evalsha: number;
  eval: number;
}

/** The store's view of `connection`, counting every command it sends. */
export function scriptClient(connection: Connection): RedisScriptClient & { sent: SentCommands } {
  const sent: SentCommands = { evalsha: 0, eval: 0 };
  return {
    sent,
    evalsha(sha, keys, args) {
      sent.evalsha++;
      return connection.sendCommand(["EVALSHA", sha, String(keys.length), ...keys, ...args]);
    },
    eval(script, keys, args) {
      sent.eval++;
      return connection.sendCommand(["EVAL", script, String(keys.length), ...keys, ...args]);
    },
  };
}

/** Keys under `prefix`, by SCAN (never KEYS on a shared server). */
export async function keysUnder(connection: Connection, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const reply = await connection.sendCommand([
      "SCAN",
      cursor,
      "MATCH",
      `${prefix}*`,
      "COUNT",
      "1000",
    ]);
    const [next, batch] = reply as [string, string[]];
    keys.push(...batch);
    cursor = next;
  } while (cursor !== "0");
  return keys.sort();
}

async function startRedisServer(): Promise<{ server: ChildProcess; url: string }> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, "close");
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const server = spawn("redis-server", args, { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    server.stdout?.on("data", (chunk) => {
      output += String(chunk);
      if (output.includes("Ready to accept connections")) resolve();
    });
    server.once("error", reject);
    server.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return { server, url: `redis://127.0.0.1:${port}` };
}
