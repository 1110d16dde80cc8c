// Redis plumbing for every test in the repo (packages, apps, e2e): find or start a redis-server,
// hand out random key prefixes, delete exactly those keys afterwards, and start private servers
// or clusters that a test may kill. Plain Node: no vitest and no `redis` package (the root test
// folder is not a workspace package), so any test file can import it by relative path.
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { RespClient } from "./resp.js";

/** Raw commands on the harness's own connection: RESP2 replies; an error reply rejects. */
export interface AdminClient {
  sendCommand(args: readonly string[]): Promise<unknown>;
}

/** The Redis a test file runs against, with its own key prefixes. */
export interface TestRedis {
  readonly url: string;
  /** For setup and for checking what the code under test wrote. */
  readonly admin: AdminClient;
  /** A fresh random key prefix; `cleanup` deletes every key under it. */
  prefix(): string;
  /** Keys under `prefix` now, sorted (SCAN, never KEYS). */
  keys(prefix: string): Promise<string[]>;
  /** Runs `teardown` first thing in `cleanup` (last registered, first run): close your clients. */
  onCleanup(teardown: () => Promise<unknown>): void;
  /**
   * Runs the teardowns, deletes the keys under every prefix handed out and fails if any
   * survive, then disconnects and stops a server it started.
   */
  cleanup(): Promise<void>;
}

export interface AcquireOptions {
  /**
   * Names the prefixes, so a key left behind says which tests wrote it.
   * @default "test"
   * @example acquireRedis({ label: "gateway-test" }) // prefixes "dtw-gateway-test:<random>:"
   */
  readonly label?: string;
}

/**
 * REDIS_URL (default redis://127.0.0.1:6379) when it answers PING, else a private redis-server
 * on a free port. A shared server is only touched under random prefixes (several test files run
 * at once, other data may live there): never FLUSHDB, FLUSHALL or KEYS.
 */
export async function acquireRedis(options: AcquireOptions = {}): Promise<TestRedis> {
  const sharedUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const spawned = (await answersPing(sharedUrl)) ? undefined : await startRedisServer();
  const url = spawned?.url ?? sharedUrl;
  const client = await RespClient.connect(url);
  const admin: AdminClient = { sendCommand: (args) => client.send(...args) };
  const label = options.label ?? "test";
  const prefixes: string[] = [];
  const teardowns: Array<() => Promise<unknown>> = [];
  return {
    url,
    admin,
    prefix() {
      const prefix = `dtw-${label}:${randomBytes(6).toString("hex")}:`;
      prefixes.push(prefix);
      return prefix;
    },
    keys: (prefix) => scanKeys(admin, prefix),
    onCleanup(teardown) {
      teardowns.push(teardown);
    },
    async cleanup() {
      try {
        for (const teardown of teardowns.splice(0).reverse()) await teardown();
        for (const prefix of prefixes) await deleteByPrefix(admin, prefix);
      } finally {
        client.close();
        await spawned?.stop();
      }
    },
  };
}

async function scanKeys(admin: AdminClient, prefix: string): Promise<string[]> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
  const keys: string[] = [];
  let cursor = "0";
  do {
    const reply = await admin.sendCommand(["SCAN", cursor, "MATCH", pattern, "COUNT", "1000"]);
    const [next, batch] = reply as [string, string[]];
    keys.push(...batch);
    cursor = next;
  } while (cursor !== "0");
  return keys.sort();
}

/**
 * Deletes every key under `prefix`, then checks that none is left: a test that leaves keys
 * behind fails. A second pass covers a write of a just-killed node still in Redis's queue.
 */
async function deleteByPrefix(admin: AdminClient, prefix: string): Promise<void> {
  for (let pass = 1; pass <= 2; pass++) {
    const keys = await scanKeys(admin, prefix);
    for (let i = 0; i < keys.length; i += 500) {
      await admin.sendCommand(["DEL", ...keys.slice(i, i + 500)]);
    }
  }
  const left = (await scanKeys(admin, prefix)).length;
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
  /** Graceful stop (SIGTERM); no-op when already gone. */
  stop(): Promise<void>;
}

/**
 * Starts a non-persistent redis-server bound to 127.0.0.1 on `port` (a free one by default),
 * with `extraArgs` appended to its command line.
 */
export async function startRedisServer(
  port?: number,
  extraArgs: readonly string[] = [],
): Promise<PrivateRedis> {
  const chosen = port ?? (await freePort());
  const args = ["--port", String(chosen), "--bind", "127.0.0.1", "--save", "", "--appendonly"];
  const child = spawn("redis-server", [...args, "no", ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  await waitUntilReady(child);
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill(signal);
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    kill: () => stopWith("SIGKILL"),
    stop: () => stopWith("SIGTERM"),
  };
}

/** Resolves on redis-server's own "ready" log line rather than after a guessed delay. */
function waitUntilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
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

/**
 * Whether `redis-server` (and `redis-cli`) can be started here. CI installs them, so there a
 * missing binary fails loudly instead of skipping.
 */
export function canStartRedisServer(): boolean {
  const found = spawnSync("redis-server", ["--version"]).status === 0;
  if (!found && process.env.CI) throw new Error("redis-server is not installed on this CI runner");
  return found;
}

const run = promisify(execFile);

export interface PrivateCluster {
  /** One node to give `createCluster({ rootNodes })`. */
  readonly rootUrl: string;
  readonly ports: number[];
  /** Kills every node and removes their cluster config files. */
  stop(): Promise<void>;
}

/** A private 3-master Redis Cluster (no replicas, no persistence) on free ports. */
export async function startCluster(): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), "dtw-cluster-"));
  const ports = [await freePort(), await freePort(), await freePort()];
  const nodes: PrivateRedis[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      const config = ["--cluster-config-file", `nodes-${port}.conf`, "--dir", dir];
      nodes.push(await startRedisServer(port, ["--cluster-enabled", "yes", ...config]));
    }
    const addresses = ports.map((p) => `127.0.0.1:${p}`);
    await run("redis-cli", [
      "--cluster",
      "create",
      ...addresses,
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]);
    // `--cluster create` returns once slots are assigned; wait until every node agrees.
    const deadline = Date.now() + 15_000;
    for (const port of ports) {
      for (;;) {
        const { stdout } = await run("redis-cli", ["-p", String(port), "cluster", "info"]);
        if (stdout.includes("cluster_state:ok")) break;
        if (Date.now() > deadline) throw new Error(`cluster node ${port} not ok within 15 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { rootUrl: `redis://127.0.0.1:${ports[0]}`, ports, stop };
}
