import { script } from "./prelude.js";

/**
 * `append`: ARGV = [now|"", leaseMs, strategy, maxCount (0: unbounded), timeoutMs,
 * maxWaitMs (0: unbounded), nGroups, key1, n1, item..., key2, n2, item..., ...].
 * Reply: [now, soonest deadline of the windows left open (nil: none), ...closed windows].
 *
 * Every argument is decoded and checked before the first write: Redis does not roll a script
 * back when it errors, so a late failure would leave a half-applied append. Items are pushed
 * in chunks of 1000 because Lua's `unpack` fails past ~8000 values.
 */
export const APPEND = script(
  "append",
  "b80c3c3d491c6ef1bab421fa2331d0bafae99cf9",
  `local lease, strategy, maxCount = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local timeout, maxWait, ng = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local function bad(what) return redis.error_reply("ERR dtw append: bad "..what) end
if not (lease and maxCount and timeout and maxWait and ng) or timeout <= 0 or maxCount < 0 or ng < 0 or ng % 1 ~= 0 then return bad("header") end
if strategy ~= "tumbling" and strategy ~= "first" and strategy ~= "last" then return bad("strategy") end
local groups, i = {}, 8
for g = 1, ng do
  local n = tonumber(ARGV[i+1])
  if not n or n < 0 or n % 1 ~= 0 or i + 1 + n > #ARGV then return bad("group "..g) end
  groups[g] = {ARGV[i], i + 2, n}
  i = i + 2 + n
end
if i ~= #ARGV + 1 then return bad("argument count") end
local r, left = {now, false}, {}
for _, g in ipairs(groups) do
  local k, pos, n = g[1], g[2], g[3]
  local last, count = g[2] + g[3] - 1, 0
  local id = redis.call("HGET", OPEN, k)
  if id then
    if tonumber(redis.call("ZSCORE", DUE, DM(id))) <= now then
      close(id, k, "time", true, now + lease)
      emit(r, id)
      id = false
    else
      count = redis.call("LLEN", E(id))
    end
  end
  while pos <= last do
    if not id then
      id = now.."-"..redis.call("HINCRBY", CTR, "w", 1)
      redis.call("HSET", W(id), "k", k, "o", strategy == "tumbling" and math.floor(now / timeout) * timeout or now)
      redis.call("HSET", OPEN, k, id)
      count = 0
    end
    local take = last - pos + 1
    if maxCount > 0 and take > maxCount - count then take = math.max(maxCount - count, 0) end
    for c = pos, pos + take - 1, 1000 do
      redis.call("RPUSH", E(id), unpack(ARGV, c, math.min(c + 999, pos + take - 1)))
    end
    redis.call("HINCRBY", CTR, "p", take)
    pos, count = pos + take, count + take
    if maxCount > 0 and count >= maxCount then
      close(id, k, "count", true, now + lease)
      emit(r, id)
      id = false
    end
  end
  if id and n > 0 then
    local d = tonumber(redis.call("HGET", W(id), "o"))
    if strategy ~= "last" then d = d + timeout
    elseif maxWait > 0 and d + maxWait < now + timeout then d = d + maxWait
    else d = now + timeout end
    redis.call("ZADD", DUE, d, DM(id))
    left[k] = d
  elseif id then
    left[k] = tonumber(redis.call("ZSCORE", DUE, DM(id)))
  else
    left[k] = false
  end
end
for _, d in pairs(left) do
  if d and (not r[2] or d < r[2]) then r[2] = d end
end
return r
`,
);
