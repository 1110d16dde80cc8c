export * from "@dtw/core";
export type { NodeRedisClient, NodeRedisCluster } from "./client.js";
export { nodeRedisClient } from "./client.js";
export type { ConnectionOptions } from "./connection.js";
export { RedisAccumulator, RedisSortedSet } from "./primitives.js";
export type { GracefulShutdownOptions, ShutdownResult } from "./shutdown.js";
export { gracefulShutdown } from "./shutdown.js";
export type { RedisStoreNodeOptions } from "./store.js";
export { NodeRedisStore, redisStore } from "./store.js";
