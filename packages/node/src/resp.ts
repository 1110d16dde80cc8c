const utf8 = new TextDecoder();

/**
 * Brings a node-redis reply to the RESP2 shape `RedisScriptClient` promises: strings, integers,
 * `null`, arrays. node-redis 6 speaks RESP3 by default and lets users map types, so a reply may
 * hold Buffers (a `typeMapping` to Buffer), Maps / objects / Sets, booleans or bigints. Script
 * replies are RESP2-shaped unless a script opts into RESP3, so this is mostly a pass-through.
 */
export function toResp2(reply: unknown): unknown {
  if (reply === null || reply === undefined) return null;
  switch (typeof reply) {
    case "string":
    case "number":
      return reply;
    case "boolean":
      // RESP2 has no booleans: Redis turns Lua `true` into 1 and `false` into nil.
      return reply ? 1 : null;
    case "bigint":
      return String(reply);
  }
  if (Array.isArray(reply)) return reply.map(toResp2);
  if (ArrayBuffer.isView(reply)) {
    return utf8.decode(new Uint8Array(reply.buffer, reply.byteOffset, reply.byteLength));
  }
  if (reply instanceof Error) return reply;
  if (reply instanceof Map) return [...reply].flatMap(([k, v]) => [toResp2(k), toResp2(v)]);
  if (reply instanceof Set) return [...reply].map(toResp2);
  return Object.entries(reply as Record<string, unknown>).flatMap(([k, v]) => [k, toResp2(v)]);
}
