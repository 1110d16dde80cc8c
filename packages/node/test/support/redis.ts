import { createClient } from "redis";
import {
  acquireRedis as acquireShared,
  type TestRedis as SharedRedis,
} from "../../../../test/support/redis-server.js";

const resp2Client = (url: string) => createClient({ url, RESP: 2 });

/** A RESP2 node-redis client, as tests use it for setup and checks. */
export type TestClient = ReturnType<typeof resp2Client>;

export interface TestRedis extends SharedRedis {
  /** Connected, RESP2; closed by `cleanup`. */
  readonly client: TestClient;
}

/** The repo's shared test Redis, plus the node-redis client the node SDK is tested with. */
export async function acquireRedis(): Promise<TestRedis> {
  const redis = await acquireShared();
  const client = resp2Client(redis.url);
  client.on("error", () => {}); // surfaced through rejected commands instead
  await client.connect();
  redis.onCleanup(() => client.close());
  return { ...redis, client };
}
