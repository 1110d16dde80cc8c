/** What a `result` can hold on the wire. */
export type JsonValue = string | number | null | JsonValue[];

/**
 * Turns a raw node-redis reply (RESP2, bulk strings mapped to Buffer) into the JSON value the
 * Upstash protocol expects.
 *
 * With `base64` every string anywhere in the value is sent as base64 of its bytes, so binary
 * and non-ASCII values survive JSON. The one exception is a top-level "OK": the
 * `@upstash/redis` client decodes every top-level string except exactly "OK", so that one is
 * sent as-is (as Upstash does). Nested strings are always encoded because the client decodes
 * first-level array items without that exception.
 */
export function encodeResult(reply: unknown, base64: boolean): JsonValue {
  if (base64 && textOf(reply) === "OK") return "OK";
  return encodeValue(reply, base64);
}

function encodeValue(reply: unknown, base64: boolean): JsonValue {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === "number") return reply;
  if (typeof reply === "bigint") return Number(reply);
  // RESP2 has no booleans, but a RESP3 server-side mapping could hand one over.
  if (typeof reply === "boolean") return reply ? 1 : 0;
  if (Buffer.isBuffer(reply)) return base64 ? reply.toString("base64") : reply.toString("utf8");
  if (typeof reply === "string") {
    return base64 ? Buffer.from(reply, "utf8").toString("base64") : reply;
  }
  if (Array.isArray(reply)) return reply.map((item) => encodeValue(item, base64));
  // An error nested inside an array (e.g. from a Lua table): keep its text.
  if (reply instanceof Error) return encodeValue(reply.message, base64);
  // Maps and sets only appear with RESP3; flatten them the way Upstash does.
  if (reply instanceof Map) return [...reply].flat().map((item) => encodeValue(item, base64));
  if (reply instanceof Set) return [...reply].map((item) => encodeValue(item, base64));
  return encodeValue(String(reply), base64);
}

function textOf(reply: unknown): string | undefined {
  if (typeof reply === "string") return reply;
  if (Buffer.isBuffer(reply) && reply.length === 2) return reply.toString("latin1");
  return undefined;
}
