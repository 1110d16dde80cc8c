export type { UpstashRedis } from "./channel.js";
export { UpstashCommandError, UpstashTimeoutError } from "./channel.js";
export type { UpstashClientOptions } from "./client.js";
export { upstashClient } from "./client.js";
export type { UpstashEnv } from "./env.js";
export { upstashStoreFromEnv } from "./from-env.js";
export { UpstashAccumulator, UpstashSortedSet } from "./primitives.js";
export type { UpstashStoreOptions } from "./store.js";
export { upstashStore } from "./store.js";
