// Same scripts as @dtw/upstash/src/seed-scripts.ts (packages cannot import each other).
/**
 * Lua for the seed primitives: each multi-step operation runs as one script, so no other client
 * can act between its reads and its removals (the seed's LLEN-then-LPOP and ZRANGE-then-ZREM
 * could split a bucket between two callers or drop members added in between).
 */

/** Removes and returns every element of the list KEYS[1], oldest first. */
export const FLUSH_LIST = `local items = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return items`;

/** Removes and returns the members of the sorted set KEYS[1] scored below ARGV[1], lowest first. */
export const DRAIN_ZSET_BELOW = `local bound = '(' .. ARGV[1]
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', bound)
if #members > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', bound) end
return members`;

/** Removes and returns every member of the sorted set KEYS[1], lowest score first. */
export const FLUSH_ZSET = `local members = redis.call('ZRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return members`;
