import type { RedisScript } from "./prelude.js";

/**
 * Scripts of the seed primitives (`ScriptAccumulator`, `ScriptSortedSet`): one per operation,
 * so each operation is one atomic call, and multi-step ones (read then remove) cannot split a
 * bucket between two callers or drop members added in between. `KEYS[1]` is the list or
 * sorted set; nothing else is touched, so they run on any Cluster node.
 *
 * They touch no window keys, so they go without the window scripts' PRELUDE: `bareScript`
 * is the body alone (`sha` is the SHA-1 of `body`; keep it free of backslashes and `${`).
 */
function bareScript(name: string, sha: string, body: string): RedisScript {
  return { name, source: body, sha };
}

/**
 * ARGV = the items. Reply: the list's length after the push. Pushed in chunks of 1000 because
 * Lua's `unpack` fails past ~8000 values; no items: just the length.
 */
const LIST_PUSH = /* @__PURE__ */ bareScript(
  "listPush",
  "8d08dc50206340beda83658dfe7d561265f38d7d",
  `local n = redis.call('LLEN', KEYS[1])
for i = 1, #ARGV, 1000 do
  n = redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return n`,
);

/** ARGV = [count > 0]. Reply: up to `count` items from the head (nil: the list is empty). */
const LIST_POP = /* @__PURE__ */ bareScript(
  "listPop",
  "d909e4c5d8065b8d4c939fee605ad57b9a4e7195",
  `return redis.call('LPOP', KEYS[1], ARGV[1])`,
);

/** Reply: every item, oldest first; the list is deleted. */
const LIST_FLUSH = /* @__PURE__ */ bareScript(
  "listFlush",
  "80ea1ba9cf78e8efde01caeb3d21a68284eac944",
  `local items = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return items`,
);

/** ARGV = [score, member]. Reply: 1 if the member is new, 0 if it was there (score updated). */
const ZSET_ADD = /* @__PURE__ */ bareScript(
  "zsetAdd",
  "f97f20339b9d29995ad5be4f5ece17522da21d35",
  `return redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])`,
);

/** ARGV = [bound]. Reply: the members scored below `bound`, lowest first; they are removed. */
const ZSET_DRAIN_BELOW = /* @__PURE__ */ bareScript(
  "zsetDrainBelow",
  "cd2b288f359f686b5aeff81a8da0a70ba90f821c",
  `local bound = '(' .. ARGV[1]
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', bound)
if #members > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', bound) end
return members`,
);

/** Reply: every member, lowest score first; the sorted set is deleted. */
const ZSET_FLUSH = /* @__PURE__ */ bareScript(
  "zsetFlush",
  "b928c3d501baf43c78ef189245a93bb02069416c",
  `local members = redis.call('ZRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return members`,
);

/** Every script of the seed primitives, by name. */
export const PRIMITIVE_SCRIPTS = {
  listPush: LIST_PUSH,
  listPop: LIST_POP,
  listFlush: LIST_FLUSH,
  zsetAdd: ZSET_ADD,
  zsetDrainBelow: ZSET_DRAIN_BELOW,
  zsetFlush: ZSET_FLUSH,
} as const;
