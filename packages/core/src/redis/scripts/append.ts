import { script } from "./prelude.js";

/**
 * `append`: ARGV = [now|"", leaseMs, strategy, maxCount (0: unbounded), timeoutMs,
 * maxWaitMs (0: unbounded), nGroups, requestId, key1, n1, item..., key2, n2, item..., ...].
 * Reply: [now, soonest deadline of the windows left open (nil: none), ...closed windows].
 *
 * `requestId` makes the call idempotent: a client that retries after a lost reply (the Upstash
 * client retries on network errors) must not append twice. A repeat gets `[now, nil]`; the
 * windows the first call closed are leased to a caller that never saw them, so they are
 * delivered by any node once that lease expires. Ids are remembered for 60 s.
 *
 * Every argument is decoded and checked before the first write: Redis does not roll a script
 * back when it errors, so a late failure would leave a half-applied append. Items are pushed
 * in chunks of 1000 because Lua's `unpack` fails past ~8000 values. Each key's window is looked
 * up once per call and its deadline written once at the end (the engine coalesces up to 512
 * pushes, often to the same key): O(groups + items + closed windows).
 */
export const APPEND = /* @__PURE__ */ script(
  "append",
  "853758bdf29c6a1b83f27bc8be03a1dc3a0b3a8e",
  `local lease, strategy, maxCount = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local timeout, maxWait, ng, req = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]
local function bad(what) return redis.error_reply("ERR dtw append: bad "..what) end
if not (lease and maxCount and timeout and maxWait and ng and req) or timeout <= 0 or maxCount < 0 or ng < 0 or ng % 1 ~= 0 then return bad("header") end
if strategy ~= "tumbling" and strategy ~= "first" and strategy ~= "last" then return bad("strategy") end
local groups, i = {}, 9
for g = 1, ng do
  local n = tonumber(ARGV[i+1])
  if not n or n < 0 or n % 1 ~= 0 or i + 1 + n > #ARGV then return bad("group "..g) end
  groups[g] = {ARGV[i], i + 2, n}
  i = i + 2 + n
end
if i ~= #ARGV + 1 then return bad("argument count") end
if not remember(req) then return {now, false} end
local r, state, keys, added = {now, false}, {}, {}, 0
for _, g in ipairs(groups) do
  local k, pos, n = g[1], g[2], g[3]
  local last, s = pos + n - 1, state[k]
  if not s then
    s = {}
    state[k] = s
    keys[#keys+1] = k
    local id = redis.call("HGET", OPEN, k)
    if id then
      local d = tonumber(redis.call("ZSCORE", DUE, DM(id)))
      if d <= now then
        close(id, k, "time", lease > 0, now + lease)
        emit(r, id)
      else
        s.id, s.count, s.d = id, redis.call("LLEN", E(id)), d
      end
    end
  end
  while pos <= last do
    if not s.id then
      s.id, s.count = now.."-"..redis.call("HINCRBY", CTR, "w", 1), 0
      s.o = strategy == "tumbling" and math.floor(now / timeout) * timeout or now
      s.d = s.o + timeout
      s.moved = true
      redis.call("HSET", W(s.id), "k", k, "o", s.o)
      redis.call("HSET", OPEN, k, s.id)
    end
    local take = last - pos + 1
    if maxCount > 0 and take > maxCount - s.count then take = math.max(maxCount - s.count, 0) end
    for c = pos, pos + take - 1, 1000 do
      redis.call("RPUSH", E(s.id), unpack(ARGV, c, math.min(c + 999, pos + take - 1)))
    end
    pos, s.count, added = pos + take, s.count + take, added + take
    if maxCount > 0 and s.count >= maxCount then
      close(s.id, k, "count", lease > 0, now + lease)
      emit(r, s.id)
      s.id = nil
    end
  end
  if s.id and n > 0 and strategy == "last" then
    s.o = s.o or tonumber(redis.call("HGET", W(s.id), "o"))
    s.d = now + timeout
    if maxWait > 0 and s.o + maxWait < s.d then s.d = s.o + maxWait end
    s.moved = true
  end
end
redis.call("HINCRBY", CTR, "p", added)
for _, k in ipairs(keys) do
  local s = state[k]
  if s.id then
    if s.moved then redis.call("ZADD", DUE, s.d, DM(s.id)) end
    if not r[2] or s.d < r[2] then r[2] = s.d end
  end
end
return r
`,
);
