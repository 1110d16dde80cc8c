import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";
import { createClient } from "redis";

export interface TestRedis {
  url: string;
  /** A fresh key prefix; `cleanup` deletes every key under the prefixes handed out. */
  prefix(): string;
  /** Keys under `prefix` (SCAN, never KEYS). */
  keys(prefix: string): Promise<string[]>;
  cleanup(): Promise<void>;
}

type Admin = { sendCommand(args: string[]): Promise<unknown> };

/**
 * REDIS_URL (default redis://127.0.0.1:6379) when it answers, else a private redis-server on a
 * free port. The shared server is only touched under random prefixes: no FLUSHDB, no KEYS *.
 */
export async function acquireRedis(): Promise<TestRedis> {
  const sharedUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const spawned = (await answers(sharedUrl)) ? undefined : await spawnRedis();
  const url = spawned?.url ?? sharedUrl;
  const client = createClient({ url, RESP: 2 });
  client.on("error", () => {});
  await client.connect();
  const admin = client as unknown as Admin;
  const prefixes: string[] = [];
  const keys = async (prefix: string) => {
    const found: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = (await admin.sendCommand([
        "SCAN",
        cursor,
        "MATCH",
        `${prefix}*`,
        "COUNT",
        "1000",
      ])) as [string, string[]];
      found.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    return found;
  };
  return {
    url,
    prefix() {
      const prefix = `dtw-worker-test:${randomUUID()}:`;
      prefixes.push(prefix);
      return prefix;
    },
    keys,
    async cleanup() {
      for (const prefix of prefixes) {
        const found = await keys(prefix);
        if (found.length > 0) await admin.sendCommand(["DEL", ...found]);
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

async function spawnRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, "close");
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
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
