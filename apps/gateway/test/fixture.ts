import { randomBytes } from "node:crypto";
import { Redis } from "@upstash/redis";
import { type Gateway, type RequestEvent, startGateway } from "../src/index.js";

export interface TestGateway {
  gateway: Gateway;
  token: string;
  /** Every request the gateway answered, in order. */
  events: RequestEvent[];
  /** The real client with its defaults: auto-pipelining and base64 responses on. */
  redis: Redis;
  /** POSTs JSON to the gateway with the right token, unless `headers` override it. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

export async function startTestGateway(
  redisUrl: string,
  options: { maxBodyBytes?: number } = {},
): Promise<TestGateway> {
  const token = randomBytes(24).toString("hex");
  const events: RequestEvent[] = [];
  const gateway = await startGateway({
    port: 0,
    redisUrl,
    token,
    onRequest: (event) => events.push(event),
    ...options,
  });
  const redis = new Redis({ url: gateway.url, token });
  return {
    gateway,
    token,
    events,
    redis,
    post: (path, body, headers = {}) =>
      fetch(`${gateway.url}${path}`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Authorization: `Bearer ${token}`,
          ...headers,
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
  };
}
