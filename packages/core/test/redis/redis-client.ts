// Test-side plumbing for RedisStore: a real Redis reached through node-redis, adapted to the
// narrow RedisScriptClient. Node-only: browser tests (*.browser.test.ts) never import this.
import { createClient } from "redis";
import {
  acquireRedis as acquireShared,
  type TestRedis as SharedRedis,
} from "../../../../test/support/redis-server.js";
import type { RedisScriptClient } from "../../src/redis/client.js";

/** The part of a node-redis client these tests use (its full type is RESP3-generic). */
export interface Connection {
  sendCommand(args: string[]): Promise<unknown>;
  close(): Promise<unknown>;
}

export interface TestRedis extends SharedRedis {
  /** A node-redis connection for the store under test; closed by `cleanup`. */
  readonly connection: Connection;
}

/** The repo's shared test Redis, plus a node-redis connection to build script clients on. */
export async function acquireRedis(): Promise<TestRedis> {
  const redis = await acquireShared();
  const connection = await connect(redis.url);
  redis.onCleanup(() => connection.close());
  return { ...redis, connection };
}

export async function connect(url: string): Promise<Connection> {
  const client = createClient({ url, RESP: 2, socket: { reconnectStrategy: false } });
  client.on("error", () => {}); // connection errors surface as rejected commands
  await client.connect();
  return client as unknown as Connection;
}

/** Commands a {@link scriptClient} sent, by kind. */
export interface SentCommands {
  evalsha: number;
  eval: number;
}

/** The store's view of `connection`, counting every command it sends. */
export function scriptClient(connection: Connection): RedisScriptClient & { sent: SentCommands } {
  const sent: SentCommands = { evalsha: 0, eval: 0 };
  return {
    sent,
    evalsha(sha, keys, args) {
      sent.evalsha++;
      return connection.sendCommand(["EVALSHA", sha, String(keys.length), ...keys, ...args]);
    },
    eval(script, keys, args) {
      sent.eval++;
      return connection.sendCommand(["EVAL", script, String(keys.length), ...keys, ...args]);
    },
  };
}
