/**
 * The Worker's environment: wrangler `vars`, secrets and bindings. Sinks name further secrets
 * (webhook signing keys) and bindings (queues) by their env name, hence the index signature.
 */
export interface Env {
  /** Secret. Every route but `/healthz` needs `Authorization: Bearer <API_TOKEN>`. */
  API_TOKEN?: string;
  /** Stream configuration: a JSON string, or an object when given as a wrangler `vars` table. */
  STREAMS?: unknown;
  /** Upstash REST endpoint. Without it (and the token) the Worker runs on a MemoryStore. */
  UPSTASH_REDIS_REST_URL?: string;
  /** Secret. */
  UPSTASH_REDIS_REST_TOKEN?: string;
  /** Optional prefix of every Redis key this Worker writes (several deployments, one database). */
  DTW_KEY_PREFIX?: string;
  [binding: string]: unknown;
}
