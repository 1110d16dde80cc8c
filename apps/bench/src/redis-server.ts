import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

/** The Redis the bench runs against. */
export interface BenchRedis {
  readonly url: string;
  /** `true`: a redis-server this run started, so command counts are the bench's own. */
  readonly private: boolean;
  stop(): Promise<void>;
}

/**
 * A private redis-server on a free port (so `INFO commandstats` counts only the bench), or the
 * Redis at `url` when one is given.
 */
export async function benchRedis(url: string | undefined): Promise<BenchRedis> {
  if (url) return { url, private: false, stop: async () => {} };
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await ready(child);
  return {
    url: `redis://127.0.0.1:${port}`,
    private: true,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    });
    child.once("error", (error) =>
      reject(new Error(`cannot start redis-server (${error.message}); pass --redis <url>`)),
    );
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  return typeof address === "object" && address !== null ? address.port : 0;
}
