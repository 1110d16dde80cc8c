import { script } from "./prelude.js";

/**
 * `closeDue`: ARGV = [now|"", limit, all ("1"|"0")]. Closes up to `limit` open windows, earliest
 * deadline first: those due (`reason` time), or all of them (`reason` flush). They become ready
 * (attempt 0, claimable now). Reply: how many.
 */
export const CLOSE_DUE = script(
  "closeDue",
  "2ca6b442d3da811e050f3768ac21ab0156624685",
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
 * `flush`: ARGV = [now|""]. Deletes every open window and returns them (`reason` flush,
 * attempt 0) in the order they opened. Closed windows are not touched.
 */
export const FLUSH = script(
  "flush",
  "bb5c4b5202b6c6bd5af6972854f37e815059b76f",
  `local open, ids, r = redis.call("HGETALL", OPEN), {}, {}
for i = 2, #open, 2 do ids[#ids+1] = open[i] end
table.sort(ids, function(a, b) return DM(a) < DM(b) end)
for _, id in ipairs(ids) do
  redis.call("HSET", W(id), "c", now, "r", "flush", "a", 0)
  emit(r, id)
  redis.call("DEL", W(id), E(id))
end
redis.call("DEL", OPEN, DUE)
redis.call("HDEL", CTR, "p")
return r
`,
);

/**
 * `stats`: ARGV = [now|""]. Reply: [open, pendingElements, ready, inFlight, dead]. O(log n):
 * leases not yet expired are in flight; every other queued window is ready.
 */
export const STATS = script(
  "stats",
  "0afb9ae4a390df9eed08f77d65bb38c128d1915d",
  `local inFlight = redis.call("ZCOUNT", LEASED, "("..now, "+inf")
return {redis.call("HLEN", OPEN), tonumber(redis.call("HGET", CTR, "p")) or 0,
  redis.call("ZCARD", QUEUE) - inFlight, inFlight, redis.call("ZCARD", DEAD)}
`,
);

/** `nextWakeup`: ARGV = [now|""]. Reply: [now, soonest open deadline or claimable time (nil: none)]. */
export const NEXT_WAKEUP = script(
  "nextWakeup",
  "4045ce64fb6cb00fbb09b7aeb823e4ce31837bf4",
  `local at = false
for _, z in ipairs({DUE, QUEUE}) do
  local s = tonumber(redis.call("ZRANGE", z, 0, 0, "WITHSCORES")[2])
  if s and (not at or s < at) then at = s end
end
return {now, at}
`,
);

/** `drop`: ARGV = [now|""]. Deletes every key of the stream. Reply: how many windows it held. */
export const DROP = script(
  "drop",
  "90694935b29dfe03c8eb119e92a956c4e6b6ca09",
  `local ids = redis.call("HVALS", OPEN)
for _, m in ipairs(redis.call("ZRANGE", QUEUE, 0, -1)) do ids[#ids+1] = ID(m) end
for _, id in ipairs(redis.call("ZRANGE", DEAD, 0, -1)) do ids[#ids+1] = id end
for _, id in ipairs(ids) do redis.call("DEL", W(id), E(id)) end
redis.call("DEL", OPEN, DUE, QUEUE, LEASED, DEAD, CTR)
return #ids
`,
);
