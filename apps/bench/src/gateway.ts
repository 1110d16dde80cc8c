import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { GatewayMessage } from "./gateway-process.js";

export interface GatewayHandle {
  readonly url: string;
  readonly token: string;
  /** HTTP requests and Redis commands the gateway served so far. */
  stats(): Promise<{ requests: number; commands: number }>;
  close(): Promise<void>;
}

/** Starts `gateway-process.js` (built next to this file) in front of `redisUrl`. */
export async function startGatewayProcess(redisUrl: string): Promise<GatewayHandle> {
  const token = randomBytes(24).toString("hex");
  const child = fork(fileURLToPath(new URL("./gateway-process.js", import.meta.url)), [], {
    env: { ...process.env, DTW_GATEWAY_TOKEN: token, DTW_GATEWAY_REDIS: redisUrl },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = once(child, "exit");
  const next = <T extends GatewayMessage["t"]>(t: T) =>
    new Promise<Extract<GatewayMessage, { t: T }>>((resolve, reject) => {
      const onMessage = (m: GatewayMessage) => {
        if (m.t !== t) return;
        child.off("message", onMessage);
        resolve(m as Extract<GatewayMessage, { t: T }>);
      };
      child.on("message", onMessage);
      exited.then(() => reject(new Error("the gateway process exited")));
    });
  const { url } = await next("listening");
  return {
    url,
    token,
    async stats() {
      const reply = next("stats");
      child.send("stats");
      const { requests, commands } = await reply;
      return { requests, commands };
    },
    async close() {
      if (child.exitCode !== null) return;
      child.send("close");
      await exited;
    },
  };
}
