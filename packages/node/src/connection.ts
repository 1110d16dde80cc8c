import { createClient } from "redis";
import { type CommandSender, senderFor } from "./client.js";
import { DEFAULT_COMMAND_TIMEOUT_MS } from "./timeout.js";

/** How the client `redisStore(url)` creates connects and fails. */
export interface ConnectionOptions {
  /**
   * Longest wait for a connection (each attempt). The first command waits for the first
   * attempt's outcome, at most this long, so a store used right after creation does not fail
   * just because the socket is still opening.
   * @default 5000
   * @example redisStore(url, { connectTimeoutMs: 1000 })
   */
  connectTimeoutMs?: number;
  /**
   * Longest wait for a reply, with a URL or your own client. On expiry the call rejects with a
   * `StoreError` caused by a `RedisReplyTimeoutError`: the command may have been sent and may
   * still run in Redis (the outcome is unknown), unlike a command refused while disconnected.
   * @default 5000
   * @example redisStore(url, { commandTimeoutMs: 2000 })
   */
  commandTimeoutMs?: number;
}

/**
 * A node-redis client this package created and owns. Commands fail fast while Redis is
 * unreachable (`disableOfflineQueue`): a command is refused before it is sent, so a rejected push
 * certainly wrote nothing, and no call waits for an outage to end. The client keeps
 * reconnecting in the background (node-redis's default backoff), and works again once Redis is
 * back.
 */
export class OwnedConnection {
  readonly #client: ReturnType<typeof createClient>;
  readonly #sender: CommandSender;
  #firstOutcome: Promise<void> | undefined;
  /** Releases calls waiting for the first outcome (also on close, which emits neither event). */
  #settleFirst: (() => void) | undefined;
  #lastError: Error | undefined;
  #closed = false;
  readonly #connectTimeoutMs: number;

  constructor(url: string, options: ConnectionOptions) {
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.#client = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: this.#connectTimeoutMs },
      commandOptions: { timeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS },
    });
    // Without a listener an 'error' event would crash the process; failures reach callers as
    // rejected commands instead.
    this.#client.on("error", (error: Error) => {
      this.#lastError = error;
    });
    this.#client.on("ready", () => {
      this.#lastError = undefined;
    });
    this.#sender = senderFor(this.#client as never, options.commandTimeoutMs);
  }

  /** Sends one command, connecting first if this is the first one. */
  send: CommandSender = async (firstKey, args) => {
    await this.#connected();
    try {
      return await this.#sender(firstKey, args);
    } catch (error) {
      // "The client is offline" says less than why: keep the socket error in the message.
      if (this.#lastError && !this.#client.isReady) {
        throw new Error(`Redis is unreachable: ${this.#lastError.message}`, { cause: error });
      }
      throw error;
    }
  };

  /** Quits the client (waits for replies to commands already sent). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#settleFirst?.();
    if (!this.#client.isOpen) return;
    if (this.#client.isReady) await this.#client.close();
    else this.#client.destroy();
  }

  #connected(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#firstOutcome ??= new Promise<void>((resolve) => {
      // A server that accepts the socket but never answers the handshake (hung, or a
      // black-holed proxy) emits neither event: stop waiting after connectTimeoutMs.
      const timer = setTimeout(() => {
        this.#lastError ??= new Error(`no ready connection within ${this.#connectTimeoutMs} ms`);
        settle();
      }, this.#connectTimeoutMs);
      timer.unref();
      const settle = () => {
        clearTimeout(timer);
        this.#client.off("ready", settle);
        this.#client.off("error", settle);
        this.#settleFirst = undefined;
        resolve();
      };
      this.#settleFirst = settle;
      this.#client.on("ready", settle);
      this.#client.on("error", settle);
      // connect() keeps retrying in the background after a failure; its rejection (only when
      // the client is closed meanwhile) is reported through the commands instead.
      this.#client.connect().catch(() => {});
    });
    return this.#firstOutcome;
  }
}
