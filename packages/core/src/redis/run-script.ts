import { ConfigError, describe, StoreError } from "../errors.js";
import type { RedisScriptClient } from "./client.js";
import type { RedisScript } from "./scripts/prelude.js";

/** `client` if it has `evalsha()` and `eval()`; else a `ConfigError` naming it. */
export function checkScriptClient(client: RedisScriptClient): RedisScriptClient {
  if (typeof client?.evalsha !== "function" || typeof client.eval !== "function") {
    throw new ConfigError("client", client, "an object with evalsha() and eval()");
  }
  return client;
}

/**
 * Runs `script` as ONE call (`EVALSHA`; `EVAL` only after `NOSCRIPT`) and decodes its reply.
 * Any failure, of Redis, the client or `decode`, becomes a `StoreError` saying that `what`
 * failed, with the original error as `cause`.
 */
export async function runScript<R>(
  client: RedisScriptClient,
  script: RedisScript,
  keys: string[],
  args: string[],
  decode: (reply: unknown) => R,
  what: string,
): Promise<R> {
  try {
    let reply: unknown;
    try {
      reply = await client.evalsha(script.sha, keys, args);
    } catch (error) {
      // Not cached on this server (restart, failover, SCRIPT FLUSH): EVAL caches it again.
      if (!String(error instanceof Error ? error.message : error).includes("NOSCRIPT")) throw error;
      reply = await client.eval(script.source, keys, args);
    }
    return decode(reply);
  } catch (error) {
    const message = error instanceof Error ? error.message : describe(error);
    throw new StoreError(`${what} failed: ${message}`, { cause: error });
  }
}
