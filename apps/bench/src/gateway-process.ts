/**
 * The Upstash-compatible gateway in its own process, as it would be deployed: the bench's
 * client pays HTTP and the gateway's own CPU is not taken from the client's event loop.
 * Protocol (IPC): sends `{ url }` once listening; answers `"stats"` with the requests and
 * commands it served so far; exits on `"close"`.
 */
import { startGateway } from "@dtw/gateway";

export type GatewayMessage =
  | { t: "listening"; url: string }
  | { t: "stats"; requests: number; commands: number };

const token = process.env.DTW_GATEWAY_TOKEN;
const redisUrl = process.env.DTW_GATEWAY_REDIS;
if (!token || !redisUrl || !process.send) {
  throw new Error(
    "gateway-process is started by the bench (IPC, DTW_GATEWAY_TOKEN, DTW_GATEWAY_REDIS)",
  );
}
const send = process.send.bind(process);
let requests = 0;
let commands = 0;
const gateway = await startGateway({
  port: 0,
  token,
  redisUrl,
  onRequest: (event) => {
    requests++;
    commands += event.commands.length;
  },
});
send({ t: "listening", url: gateway.url } satisfies GatewayMessage);
process.on("message", (message) => {
  if (message === "stats") send({ t: "stats", requests, commands } satisfies GatewayMessage);
  if (message === "close") {
    void gateway.close().then(() => process.disconnect());
  }
});
