import { script } from "./prelude.js";

/**
 * `claim`: ARGV = [now|"", max, leaseMs]. Claims up to `max` windows whose claimable time has
 * come (ready, retry after its backoff, or lease expired), oldest first; each gets attempt + 1
 * and a lease. Reply: the windows.
 */
export const CLAIM = /* @__PURE__ */ script(
  "claim",
  "f80dc8ae8faa292e69f68c26f563d83713a59bd5",
  `local max, lease, r = tonumber(ARGV[2]), tonumber(ARGV[3]), {}
if max < 1 then return r end
for _, m in ipairs(redis.call("ZRANGEBYSCORE", QUEUE, "-inf", now, "LIMIT", 0, max)) do
  local id = ID(m)
  redis.call("HINCRBY", W(id), "a", 1)
  redis.call("ZADD", QUEUE, now + lease, m)
  redis.call("ZADD", LEASED, now + lease, m)
  emit(r, id)
end
return r
`,
);

/**
 * `extend`: ARGV = [now|"", leaseMs, id1, attempt1, id2, attempt2, ...]. Extends the lease of
 * each window still leased at that attempt (not acked, failed or re-claimed since) to
 * now + leaseMs. Reply: how many.
 */
export const EXTEND = /* @__PURE__ */ script(
  "extend",
  "eeacdae25cc029fde2f9ba6910028a049b7d937d",
  `local lease, n = tonumber(ARGV[2]), 0
for i = 3, #ARGV - 1, 2 do
  local f = redis.call("HMGET", W(ARGV[i]), "m", "a")
  local m = f[1]
  if m and tonumber(f[2]) == tonumber(ARGV[i + 1]) and redis.call("ZSCORE", LEASED, m) then
    redis.call("ZADD", QUEUE, now + lease, m)
    redis.call("ZADD", LEASED, now + lease, m)
    n = n + 1
  end
end
return n
`,
);

/** `ack`: ARGV = [now|"", id...]. Deletes those closed windows; others are ignored. Reply: how many. */
export const ACK = /* @__PURE__ */ script(
  "ack",
  "c16b25ebdf68beaade4ebb1b86b982bdc4d01d57",
  `local n = 0
for i = 2, #ARGV do
  local id = ARGV[i]
  local m = redis.call("HGET", W(id), "m")
  if m then
    redis.call("ZREM", QUEUE, m)
    redis.call("ZREM", LEASED, m)
    redis.call("DEL", W(id), E(id))
    n = n + 1
  end
end
return n
`,
);

/**
 * `fail`: ARGV = [now|"", id, attempt, backoffMs, maxAttempts]. Only the holder of the current
 * lease may fail it: otherwise "stale". At `maxAttempts` the window moves to the dead letters
 * ("dead"); else it is claimable again after the backoff ("retry").
 */
export const FAIL = /* @__PURE__ */ script(
  "fail",
  "bcad5a29b66cecbfdb40608309b848ae0bb15d46",
  `local id, attempt = ARGV[2], tonumber(ARGV[3])
local f = redis.call("HMGET", W(id), "m", "a")
local m = f[1]
if not m or tonumber(f[2]) ~= attempt or not redis.call("ZSCORE", LEASED, m) then return "stale" end
redis.call("ZREM", LEASED, m)
if attempt >= tonumber(ARGV[5]) then
  redis.call("ZREM", QUEUE, m)
  redis.call("HDEL", W(id), "m")
  redis.call("ZADD", DEAD, redis.call("HINCRBY", CTR, "q", 1), id)
  return "dead"
end
redis.call("ZADD", QUEUE, now + tonumber(ARGV[4]), m)
return "retry"
`,
);

/** `deadLetters`: ARGV = [now|"", limit]. Reply: up to `limit` dead windows, oldest death first. */
export const DEAD_LETTERS = /* @__PURE__ */ script(
  "deadLetters",
  "b07d4d34b46653c070d6314e97401863625a3ef7",
  `local limit, r = tonumber(ARGV[2]), {}
if limit < 1 then return r end
for _, id in ipairs(redis.call("ZRANGE", DEAD, 0, limit - 1)) do emit(r, id) end
return r
`,
);

/**
 * `replay`: ARGV = [now|"", all ("1"|"0"), id...]. Moves dead letters (all, or those ids) back
 * to the queue, claimable now with attempt 0. Reply: how many.
 */
export const REPLAY = /* @__PURE__ */ script(
  "replay",
  "dd9a67bc8b48badb3d6e301db69fa18eb25be964",
  `local ids = {}
if ARGV[2] == "1" then ids = redis.call("ZRANGE", DEAD, 0, -1)
else for i = 3, #ARGV do ids[#ids+1] = ARGV[i] end end
local n = 0
for _, id in ipairs(ids) do
  if redis.call("ZREM", DEAD, id) == 1 then
    local m = M(redis.call("HINCRBY", CTR, "q", 1), id)
    redis.call("HSET", W(id), "a", 0, "m", m)
    redis.call("ZADD", QUEUE, now, m)
    n = n + 1
  end
end
return n
`,
);
