import { ConfigError } from "@dtw/core";
import type { Redis } from "@upstash/redis";

/**
 * What the adapters accept: an `@upstash/redis` `Redis` (from `@upstash/redis`,
 * `@upstash/redis/cloudflare` or `@upstash/redis/fastly`). Typed structurally so that every
 * entry point's class fits.
 */
export type UpstashRedis = Pick<Redis, "evalsha" | "eval">;

/** The client's HTTP layer (`Requester` in @upstash/redis): one POST per call, no reply parsing. */
interface Requester {
  request(req: { body: unknown; path?: string[] }): Promise<{ result?: unknown; error?: string }>;
}

/** A Redis error reply relayed by the REST API (`NOSCRIPT ...`, `WRONGTYPE ...`). */
export class UpstashCommandError extends Error {
  override name = "UpstashCommandError";
}

/**
 * No reply in time. The request may have reached Upstash, so the command may still run: the
 * outcome is unknown.
 */
export class UpstashTimeoutError extends Error {
  override name = "UpstashTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`Upstash did not reply within ${timeoutMs} ms (the command may still run)`);
  }
}

/** Default for `commandTimeoutMs`: leaves room for the client's retries of network errors (about 4 s). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

/** Upstash answers at most 1000 commands per pipeline, as the client's own auto-pipelining does. */
const MAX_PIPELINE = 1000;

interface Pending {
  readonly command: readonly string[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Sends raw commands through the user's client and returns the replies exactly as Redis sent
 * them (base64 already decoded by the client, nothing else touched).
 *
 * Why not `redis.evalsha(...)`: every public command of @upstash/redis JSON-parses its reply
 * (`automaticDeserialization`, on by default), so an element `"42"` comes back as the number 42,
 * `"true"` as `true`, `{"a":1}` as an object and `"\"x\""` as `"x"` — and that last one cannot be
 * undone, since a plain `x` gives the same. The client's `Requester` (its `client` field, the
 * same object `new Redis(requester)` accepts) does the HTTP call, retries, base64 decoding and
 * read-your-writes tokens without parsing, so going through it keeps every user setting except
 * the lossy one.
 *
 * Like the client, it auto-pipelines: commands issued in the same tick go out as one
 * `/pipeline` request (fewer subrequests in a Worker), unless the client was created with
 * `enableAutoPipelining: false`.
 */
export class UpstashChannel {
  readonly #requester: Requester;
  readonly #autoPipeline: boolean;
  #batch: Pending[] = [];

  constructor(redis: UpstashRedis) {
    const requester = requesterOf(redis);
    if (!requester) {
      throw new ConfigError(
        "redis",
        redis,
        "an @upstash/redis Redis instance (new Redis({ url, token }) or Redis.fromEnv())",
      );
    }
    this.#requester = requester;
    this.#autoPipeline =
      (redis as { enableAutoPipelining?: unknown }).enableAutoPipelining !== false;
  }

  /**
   * Runs one command; resolves with Redis's reply (strings, integers, nulls, arrays), or
   * rejects after `timeoutMs` (fetch has no timeout of its own: a hung endpoint would hang).
   */
  send(command: readonly string[], timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): Promise<unknown> {
    const reply = this.#autoPipeline
      ? new Promise((resolve, reject) => {
          this.#batch.push({ command, resolve, reject });
          if (this.#batch.length === 1) void this.#flushSoon();
        })
      : this.#single(command);
    return withTimeout(reply, timeoutMs);
  }

  async #flushSoon(): Promise<void> {
    // Two microtask hops, like the client's auto-pipeline, so that calls issued by the same
    // synchronous code and its immediate continuations share a request.
    await Promise.resolve();
    await Promise.resolve();
    const batch = this.#batch;
    this.#batch = [];
    for (let i = 0; i < batch.length; i += MAX_PIPELINE) {
      void this.#sendBatch(batch.slice(i, i + MAX_PIPELINE));
    }
  }

  async #sendBatch(batch: Pending[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch as [Pending];
      return this.#single(only.command).then(only.resolve, only.reject);
    }
    let replies: Array<{ result?: unknown; error?: string }>;
    try {
      const response = await this.#requester.request({
        path: ["pipeline"],
        body: batch.map((p) => p.command),
      });
      replies = response as unknown as typeof replies;
      if (!Array.isArray(replies) || replies.length !== batch.length) {
        throw new UpstashCommandError(
          `Upstash /pipeline answered ${Array.isArray(replies) ? replies.length : "no"} replies for ${batch.length} commands`,
        );
      }
    } catch (error) {
      for (const p of batch) p.reject(sanitize(error));
      return;
    }
    batch.forEach((p, i) => {
      const reply = replies[i] as { result?: unknown; error?: string };
      if (reply.error !== undefined && reply.error !== null) {
        p.reject(new UpstashCommandError(reply.error));
      } else p.resolve(reply.result ?? null);
    });
  }

  async #single(command: readonly string[]): Promise<unknown> {
    let response: { result?: unknown; error?: string };
    try {
      response = await this.#requester.request({ body: command });
    } catch (error) {
      throw sanitize(error);
    }
    if (response.error !== undefined && response.error !== null) {
      throw new UpstashCommandError(response.error);
    }
    return response.result ?? null;
  }
}

const channels = new WeakMap<object, UpstashChannel>();

/** One channel per client, so that every adapter and primitive on it shares auto-pipelining. */
export function channelFor(redis: UpstashRedis): UpstashChannel {
  let channel = channels.get(redis);
  if (!channel) {
    channel = new UpstashChannel(redis);
    channels.set(redis, channel);
  }
  return channel;
}

async function withTimeout<T>(reply: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstashTimeoutError(timeoutMs)), timeoutMs);
    // Node: do not hold the process open for this timer (browsers and Workers have no unref).
    (timer as { unref?: () => void }).unref?.();
  });
  reply.catch(() => {}); // a reply after the timeout is dropped, not an unhandled rejection
  try {
    return await Promise.race([reply, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function requesterOf(redis: unknown): Requester | undefined {
  const client = (redis as { client?: Partial<Requester> } | null | undefined)?.client;
  return typeof client?.request === "function" ? (client as Requester) : undefined;
}

/**
 * The client appends `, command was: [...]` to error replies: the whole command, so the
 * elements (user data) and scripts. Keep Redis's message only; network errors pass unchanged.
 */
function sanitize(error: unknown): unknown {
  if (error instanceof Error && error.name === "UpstashError") {
    const at = error.message.indexOf(", command was: ");
    return new UpstashCommandError(at === -1 ? error.message : error.message.slice(0, at));
  }
  return error;
}
