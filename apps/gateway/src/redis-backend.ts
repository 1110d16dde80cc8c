import { createClient, createClientPool, ErrorReply, MultiErrorReply, RESP_TYPES } from "redis";
import { type Command, isBlocking, refusalReason } from "./commands.js";
import { RedisUnavailableError } from "./errors.js";
import type { Logger } from "./logger.js";

/** The result of one command: its raw reply, or the error text Redis (or the gateway) gave. */
export type Outcome = { ok: true; reply: unknown } | { ok: false; error: string };

/** A transaction either ran (per-command outcomes) or was discarded as a whole. */
export type TransactionOutcome =
  | { executed: true; items: Outcome[] }
  | { executed: false; error: string };

export interface RedisBackend {
  /** Runs the commands as one Redis pipeline: all written before any reply is awaited. */
  pipeline(commands: readonly Command[]): Promise<Outcome[]>;
  /** Runs the commands inside MULTI/EXEC on a dedicated connection. */
  transaction(commands: readonly Command[]): Promise<TransactionOutcome>;
  close(): Promise<void>;
}

export interface RedisBackendOptions {
  url: string;
  logger: Logger;
  /** Upper bound on dedicated connections (transactions and blocking commands). */
  maxDedicatedConnections: number;
}

/**
 * The slice of node-redis the gateway uses. node-redis' own generics are built around typed
 * RESP3 commands; for raw `sendCommand` traffic this small structural view is all we need.
 */
interface CommandSender {
  sendCommand(args: string[]): Promise<unknown>;
}
interface RawMulti {
  addCommand(args: string[]): RawMulti;
  exec(): Promise<unknown[]>;
}
interface SharedClient extends CommandSender {
  close(): Promise<void>;
}
interface DedicatedPool {
  execute<T>(task: (client: CommandSender) => Promise<T>): Promise<T>;
  multi(): RawMulti;
  destroy(): void;
}

// Bulk strings as Buffers keep binary values intact and let status replies ("OK", "QUEUED",
// "string" from TYPE) stay JS strings, so the encoder can tell them apart.
const TYPE_MAPPING = { [RESP_TYPES.BLOB_STRING]: Buffer };

export async function connectRedis(options: RedisBackendOptions): Promise<RedisBackend> {
  const { logger } = options;
  let started = false;
  const clientOptions = {
    url: options.url,
    // RESP2 gives plain arrays for every reply, which is what Upstash returns.
    RESP: 2 as const,
    // Fail requests at once while Redis is down instead of queueing them indefinitely.
    disableOfflineQueue: true,
    socket: {
      // Refuse to start against an unreachable Redis; once running, keep reconnecting.
      reconnectStrategy: (retries: number, cause: Error) =>
        started ? Math.min(50 * 2 ** retries, 2_000) : cause,
    },
  };

  const shared = createClient(clientOptions).withTypeMapping(TYPE_MAPPING);
  shared.on("error", (error: Error) => logger.error(`redis connection error: ${error.message}`));
  const pool = createClientPool(clientOptions, {
    minimum: 1,
    maximum: options.maxDedicatedConnections,
    acquireTimeout: 5_000,
  }).withTypeMapping(TYPE_MAPPING);
  pool.on("error", (error: Error) => logger.error(`redis pool error: ${error.message}`));

  try {
    await shared.connect();
    await pool.connect();
  } catch (error) {
    shared.destroy();
    pool.destroy();
    throw error;
  }
  started = true;
  return createBackend(shared as unknown as SharedClient, pool as unknown as DedicatedPool);
}

function createBackend(shared: SharedClient, pool: DedicatedPool): RedisBackend {
  return {
    async pipeline(commands) {
      // Blocking commands would stall every other request queued on the shared connection.
      if (commands.some(isBlocking)) {
        return guard(pool.execute((client) => runPipeline(client, commands)));
      }
      return guard(runPipeline(shared, commands));
    },

    async transaction(commands) {
      for (const command of commands) {
        const refusal = refusalReason(command);
        if (refusal !== undefined) return { executed: false, error: refusal };
      }
      const multi = pool.multi();
      for (const command of commands) multi.addCommand([...command]);
      try {
        const replies = await multi.exec();
        return { executed: true, items: replies.map(toOutcome) };
      } catch (error) {
        // Some commands failed inside EXEC: the others still ran, report each one.
        if (error instanceof MultiErrorReply) {
          return { executed: true, items: error.replies.map(toOutcome) };
        }
        // A command was rejected while queueing, so Redis discarded the whole transaction.
        if (error instanceof ErrorReply) {
          const detail = error.message.startsWith("EXECABORT") ? "" : `: ${error.message}`;
          return {
            executed: false,
            error: `EXECABORT Transaction discarded because of previous errors${detail}`,
          };
        }
        throw unavailable(error);
      }
    },

    async close() {
      // Dedicated connections may be parked in a blocking command whose HTTP caller is gone;
      // drop them. The shared connection only carries finite commands, so let them finish.
      pool.destroy();
      await shared.close();
    },
  };
}

/**
 * Writes every command before awaiting any reply. node-redis queues commands issued in the
 * same tick and flushes them to the socket in one write, so this is a real Redis pipeline.
 */
async function runPipeline(client: CommandSender, commands: readonly Command[]) {
  const pending = commands.map((command): Promise<unknown> => {
    const refusal = refusalReason(command);
    return refusal === undefined
      ? client.sendCommand([...command])
      : Promise.reject(new ErrorReply(refusal));
  });
  const settled = await Promise.allSettled(pending);
  return settled.map((result): Outcome => {
    if (result.status === "fulfilled") return toOutcome(result.value);
    if (result.reason instanceof ErrorReply) return { ok: false, error: result.reason.message };
    throw unavailable(result.reason);
  });
}

function toOutcome(reply: unknown): Outcome {
  return reply instanceof ErrorReply ? { ok: false, error: reply.message } : { ok: true, reply };
}

/** Anything that is not a Redis error reply means the connection itself failed. */
async function guard<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw unavailable(error);
  }
}

function unavailable(error: unknown): RedisUnavailableError {
  if (error instanceof RedisUnavailableError) return error;
  return new RedisUnavailableError(error instanceof Error ? error.message : String(error));
}
