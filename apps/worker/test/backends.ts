import { randomBytes } from "node:crypto";
import { type Gateway, startGateway } from "@dtw/gateway";
import { acquireRedis, type TestRedis } from "../../../test/support/redis-server.js";

/** A store the Worker runs on in a test: the MemoryStore fallback, or Upstash (gateway + Redis). */
export interface Backend {
  name: string;
  /** Env entries selecting the store. */
  setup(): Promise<Record<string, string>>;
  /** Stops what `setup` started and deletes the keys it wrote. */
  cleanup(): Promise<void>;
}

export function memoryBackend(): Backend {
  return { name: "memory", setup: async () => ({}), cleanup: async () => {} };
}

/**
 * The Worker's real production path, `@dtw/upstash` over REST, against the local gateway in
 * front of a real redis-server, under a random key prefix.
 */
export function upstashBackend(): Backend {
  let redis: TestRedis | undefined;
  let gateway: Gateway | undefined;
  let prefix = "";
  return {
    name: "upstash (gateway + redis)",
    async setup() {
      redis = await acquireRedis({ label: "worker-test" });
      const token = randomBytes(24).toString("hex");
      gateway = await startGateway({ port: 0, token, redisUrl: redis.url });
      prefix = redis.prefix();
      return {
        UPSTASH_REDIS_REST_URL: gateway.url,
        UPSTASH_REDIS_REST_TOKEN: token,
        DTW_KEY_PREFIX: prefix,
      };
    },
    async cleanup() {
      await gateway?.close();
      await redis?.cleanup();
    },
  };
}

export function backends(): Backend[] {
  return [memoryBackend(), upstashBackend()];
}
