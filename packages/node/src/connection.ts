import { createClient } from "redis";
import { type CommandSender, senderFor } from "./client.js";

/** How the client `redisStore(url)` creates connects and fails. */
export interface ConnectionOptions {
  /**
   * Longest wait for a TCP connection (each attempt). The first command waits for the first
   * attempt's outcome, so a store used right after creation does not fail just because the
   * socket is still opening.
   * @default 5000
   * @example redisStore(url, { connectTimeoutMs: 1000 })
   */
  connectTimeoutMs?: number;
  /**
   * Longest wait for a reply once a command is sent. A command that times out may still have
   * run in Redis (the outcome is unknown), unlike a command refused while disconnected.
   * @default 5000 (node-redis 6's own default)
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
  #lastError: Error | undefined;
  #closed = false;

  constructor(url: string, options: ConnectionOptions) {
    this.#client = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: options.connectTimeoutMs ?? 5000 },
      commandOptions: { timeout: options.commandTimeoutMs ?? 5000 },
    });
    // Without a listener an 'error' event would crash the process; failures reach callers as
    // rejected commands instead.
    this.#client.on("error", (error: Error) => {
      this.#lastError = error;
    });
    this.#client.on("ready", () => {
      this.#lastError = undefined;
    });
    this.#sender = senderFor(this.#client as never);
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
    if (!this.#client.isOpen) return;
    if (this.#client.isReady) await this.#client.close();
    else this.#client.destroy();
  }

  #connected(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#firstOutcome ??= new Promise<void>((resolve) => {
      const settle = () => {
        this.#client.off("ready", settle);
        this.#client.off("error", settle);
        resolve();
      };
      this.#client.on("ready", settle);
      this.#client.on("error", settle);
      // connect() keeps retrying in the background after a failure; its rejection (only when
      // the client is closed meanwhile) is reported through the commands instead.
      this.#client.connect().catch(() => {});
    });
    return this.#firstOutcome;
  }
}
