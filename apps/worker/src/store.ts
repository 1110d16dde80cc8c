import { MemoryStore, type WindowStore } from "@dtw/core";
import type { Env } from "./env.js";
import { HttpError } from "./http-error.js";
import { log } from "./log.js";

let memory: MemoryStore | undefined;

/**
 * The store for this environment, one per isolate: Upstash when `UPSTASH_REDIS_REST_URL` and
 * `UPSTASH_REDIS_REST_TOKEN` are set, else a MemoryStore (local development only: each isolate
 * has its own, so say so once).
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
  if (typeof url !== "string" || typeof token !== "string" || !url || !token) {
    throw new HttpError(
      500,
      "not_configured",
      `Set both UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (only ${url ? "the URL" : "the token"} is set).`,
    );
  }
  throw new HttpError(500, "not_configured", "Upstash store not wired yet");
}
