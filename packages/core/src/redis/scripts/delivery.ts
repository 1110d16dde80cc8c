import { script } from "./prelude.js";

/**
 * `claim`: ARGV = [now|"", max, leaseMs]. Claims up to `max` windows whose claimable time has
 * come (ready, retry after its backoff, or lease expired), oldest first; each gets attempt + 1
 * and a lease. Reply: the windows.
 */
export const CLAIM = /* @__PURE__ */ script(
  "claim",
  "3122c4e1bf8480413ac6460652f58dc420d5d7b6",
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
  "c25aa7736088d42d217999ee20fd76e9604c20a3",
  `local lease, n = tonumber(ARGV[2]), 0
for i = 3, #ARGV - 1, 2 do
  local m = held(ARGV[i], tonumber(ARGV[i + 1]))
  if m then
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
  "3895b94e51ce3f9a6d913254856150e98b95f6ec",
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
  "e2ceb45836e25fc420410ea991a30c7a7694a53a",
  `local id, attempt = ARGV[2], tonumber(ARGV[3])
local m = held(id, attempt)
if not m then return "stale" end
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
  "4867b3fa67faa34ee69df225ce3c4f3c410cf929",
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
  "80cce095fcd92e7464c4fd0b3a21fe72b67f9427",
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
