import { ConfigError } from "@dtw/core";

/** The variables `upstashStoreFromEnv` reads (the names Upstash's console shows). */
export interface UpstashEnv {
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
}

/** `process.env` when the runtime has one (Node, Bun, Deno with compat), looked up without importing Node. */
export function processEnv(): UpstashEnv {
  const env = (globalThis as { process?: { env?: unknown } }).process?.env;
  return typeof env === "object" && env !== null ? (env as UpstashEnv) : {};
}

/** Reads and checks the URL and token; the error names the missing variable, never a value. */
export function credentials(env: UpstashEnv): { url: string; token: string } {
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  if (typeof url !== "string" || !/^https?:\/\/\S+$/.test(url)) {
    throw new ConfigError(
      "UPSTASH_REDIS_REST_URL",
      url,
      "the database's REST URL (https://...), set in the environment",
    );
  }
  if (typeof token !== "string" || token.length === 0) {
    throw new ConfigError(
      "UPSTASH_REDIS_REST_TOKEN",
      token === undefined ? undefined : "(hidden)",
      "the database's REST token, set in the environment",
    );
  }
  return { url, token };
}
