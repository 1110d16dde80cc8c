import { randomBytes } from "node:crypto";
import { Redis, type RedisConfigNodejs } from "@upstash/redis";
import {
  type Gateway,
  type RequestEvent,
  startGateway,
} from "../../../../apps/gateway/src/index.js";
import { acquireRedis, type TestRedis } from "../../../node/test/support/redis.js";

export interface TestUpstash {
  redis: TestRedis;
  gateway: Gateway;
  token: string;
  /** Every request the gateway answered, in order (paths and command names only). */
  events: RequestEvent[];
  /** A real @upstash/redis client with its defaults (auto-pipelining, base64 replies), or `config`. */
  client(config?: Partial<RedisConfigNodejs>): Redis;
  cleanup(): Promise<void>;
}

/** Real Redis (shared, under random prefixes) behind the local Upstash REST gateway. */
export async function startUpstash(): Promise<TestUpstash> {
  const redis = await acquireRedis();
  const token = randomBytes(24).toString("hex");
  const events: RequestEvent[] = [];
  const gateway = await startGateway({
    port: 0,
    token,
    redisUrl: redis.url,
    onRequest: (event) => events.push(event),
  });
  return {
    redis,
    gateway,
    token,
    events,
    client: (config = {}) =>
      new Redis({ url: gateway.url, token, enableTelemetry: false, ...config }),
    async cleanup() {
      await gateway.close();
      await redis.cleanup();
    },
  };
}
