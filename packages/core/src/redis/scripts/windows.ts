import { script } from "./prelude.js";

/**
 * `closeDue`: ARGV = [now|"", limit, all ("1"|"0")]. Closes up to `limit` open windows, earliest
 * deadline first: those due (`reason` time), or all of them (`reason` flush). They become ready
 * (attempt 0, claimable now). Reply: how many.
 */
export const CLOSE_DUE = /* @__PURE__ */ script(
  "closeDue",
  "6fd0e60e5ac9e84a4349bb19cd25869c9afc9b7c",
  `local limit, all = tonumber(ARGV[2]), ARGV[3] == "1"
if limit < 1 then return 0 end
local due
if all then due = redis.call("ZRANGE", DUE, 0, limit - 1)
else due = redis.call("ZRANGEBYSCORE", DUE, "-inf", now, "LIMIT", 0, limit) end
for _, m in ipairs(due) do
  local id = ID(m)
  close(id, redis.call("HGET", W(id), "k"), all and "flush" or "time", false, now)
end
return #due
`,
);

/**
 * `flush`: ARGV = [now|"", requestId]. Deletes every open window and returns them (`reason`
 * flush, attempt 0) in the order they opened. Closed windows are not touched.
 *
 * The reply is the only copy of those elements, so it is kept for 60 s under the
 * request id: a retry after a lost reply gets the same reply instead of an empty one.
 */
export const FLUSH = /* @__PURE__ */ script(
  "flush",
  "ae959ca337de9a978186b81b698095ed2070157d",
  `local req = ARGV[2]
local FL = B..":flushed:"..req
if not remember(req) then return redis.call("LRANGE", FL, 1, -1) end
local open, ids, r = redis.call("HGETALL", OPEN), {}, {}
for i = 2, #open, 2 do ids[#ids+1] = open[i] end
table.sort(ids, function(a, b) return DM(a) < DM(b) end)
for _, id in ipairs(ids) do
  redis.call("HSET", W(id), "c", now, "r", "flush", "a", 0)
  emit(r, id)
  redis.call("DEL", W(id), E(id))
end
redis.call("DEL", OPEN, DUE)
redis.call("HDEL", CTR, "p")
if req ~= "" then
  redis.call("RPUSH", FL, "reply")
  for c = 1, #r, 1000 do redis.call("RPUSH", FL, unpack(r, c, math.min(c + 999, #r))) end
  redis.call("PEXPIRE", FL, 60000)
end
return r
`,
);

/**
 * `stats`: ARGV = [now|""]. Reply: [open, pendingElements, ready, inFlight, dead]. O(log n):
 * leases not yet expired are in flight; every other queued window is ready.
 */
export const STATS = /* @__PURE__ */ script(
  "stats",
  "b642c9ebb81e3f16e05d8ff8d261d5685b0a1799",
  `local inFlight = redis.call("ZCOUNT", LEASED, "("..now, "+inf")
return {redis.call("HLEN", OPEN), tonumber(redis.call("HGET", CTR, "p")) or 0,
  redis.call("ZCARD", QUEUE) - inFlight, inFlight, redis.call("ZCARD", DEAD)}
`,
);

/** `nextWakeup`: ARGV = [now|""]. Reply: [now, soonest open deadline or claimable time (nil: none)]. */
export const NEXT_WAKEUP = /* @__PURE__ */ script(
  "nextWakeup",
  "5df745f78c68ae9c42cd38d6245d21c50fc07e99",
  `local at = false
for _, z in ipairs({DUE, QUEUE}) do
  local s = tonumber(redis.call("ZRANGE", z, 0, 0, "WITHSCORES")[2])
  if s and (not at or s < at) then at = s end
end
return {now, at}
`,
);

/** `drop`: ARGV = [now|""]. Deletes every key of the stream. Reply: how many windows it held. */
export const DROP = /* @__PURE__ */ script(
  "drop",
  "8744ae13a8e25c455287de0717aef4c63e9869c9",
  `local ids = redis.call("HVALS", OPEN)
for _, m in ipairs(redis.call("ZRANGE", QUEUE, 0, -1)) do ids[#ids+1] = ID(m) end
for _, id in ipairs(redis.call("ZRANGE", DEAD, 0, -1)) do ids[#ids+1] = id end
for _, id in ipairs(ids) do redis.call("DEL", W(id), E(id)) end
for _, req in ipairs(redis.call("ZRANGE", REQS, 0, -1)) do redis.call("DEL", B..":flushed:"..req) end
redis.call("DEL", OPEN, DUE, QUEUE, LEASED, DEAD, CTR, REQS)
return #ids
`,
);
