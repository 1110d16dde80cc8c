import { ConfigError, MemoryStore, type WindowStore } from "@dtw/core";
import { upstashStoreFromEnv } from "@dtw/upstash/cloudflare";
import type { Env } from "./env.js";
import { HttpError } from "./http-error.js";
import { log } from "./log.js";

let memory: MemoryStore | undefined;
/** By URL, token and prefix: the client holds no I/O object, so an isolate may reuse it. */
const stores = new Map<string, WindowStore>();

/**
 * The store for this environment, one per isolate: Upstash when `UPSTASH_REDIS_REST_URL` and
 * `UPSTASH_REDIS_REST_TOKEN` are set, else a MemoryStore (local development only: each isolate
 * has its own, so say so once).
 * @throws {HttpError} 500 `not_configured` when only one of the two is set, or one is malformed
 */
export function storeFor(env: Env): WindowStore {
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  if (!url && !token) {
    if (!memory) {
      memory = new MemoryStore();
      log(
        "warn",
        "UPSTASH_REDIS_REST_URL/UPSTASH_REDIS_REST_TOKEN are not set: using an in-memory store (local development only; windows live in this isolate and are lost when it stops)",
      );
    }
    return memory;
  }
  const prefix = env.DTW_KEY_PREFIX;
  const id = `${url}\n${token}\n${prefix}`;
  let store = stores.get(id);
  if (!store) {
    try {
      store = upstashStoreFromEnv(env, prefix === undefined ? {} : { prefix });
    } catch (error) {
      // ConfigError names the variable, never the token's value.
      if (error instanceof ConfigError) throw new HttpError(500, "not_configured", error.message);
      throw error;
    }
    stores.set(id, store);
  }
  return store;
}
