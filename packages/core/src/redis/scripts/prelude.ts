/**
 * A Lua script run by `EVALSHA` (with `EVAL` as the fallback after `NOSCRIPT`). `sha` is the
 * SHA-1 of `source`, precomputed so that core needs no crypto at runtime: `test/redis/scripts.test.ts`
 * checks it against `SCRIPT LOAD`, and `node scripts/update-script-shas.mjs` refreshes it after an edit.
 */
export interface RedisScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

/**
 * Shared head of every script. Conventions all scripts follow:
 * - `KEYS[1]` is the stream's base key `<prefix>{<name>}`; every other key is derived from it by
 *   suffix, so it carries the same hash tag and lives in the same Cluster slot as `KEYS[1]`
 *   (Redis Cluster routes the call by `KEYS[1]`, and the script only touches that slot).
 * - `ARGV[1]` is the time in ms, or `""` to read Redis `TIME` (production: one clock for all nodes).
 * - Sorted-set members of the `due` and `queue` sets are `M(order, id)`: a zero-padded order then
 *   the id, so that equal scores pop first-in first-out, like MemoryStore.
 *
 * Keys: `open` (hash key → open window id), `due` (open windows by deadline), `queue` (closed
 * windows by the time they can be claimed), `leased` (claimed windows by lease expiry), `dead`
 * (dead letters by death order), `ctr` (counters: `w` window seq, `q` queue order, `p` pending
 * elements), `w:<id>` (window fields: `k` key, `o` openedAt, `c` closedAt, `r` reason, `a`
 * attempt, `m` queue member), `e:<id>` (the window's elements, a list).
 *
 * `reqs` (request ids seen in the last 60 s, by time), `flushed:<request id>` (a
 * flush reply kept for a retry of that request).
 *
 * `remember(req)` records a request id and says whether it is new ("" opts out); it also forgets
 * ids older than 60 s (far longer than any client retries), so the set stays as small as one
 * minute of calls.
 *
 * `close` moves an open window to the queue, claimed by the caller (attempt 1, leased until
 * `avail`) or ready (attempt 0, claimable at `avail`). `held(id, attempt)` is the window's queue
 * member if it is leased at exactly that attempt (its current holder's claim), else nil. `emit` appends a closed window to a reply
 * as `id, key, openedAt, closedAt, reason, attempt, n, item1..itemN`.
 */
const PRELUDE = `local B = KEYS[1]
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call("TIME")
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local OPEN, DUE, QUEUE, LEASED, DEAD, CTR = B..":open", B..":due", B..":queue", B..":leased", B..":dead", B..":ctr"
local function W(id) return B..":w:"..id end
local function E(id) return B..":e:"..id end
local function M(order, id) return string.format("%016d", order)..id end
local function ID(m) return string.sub(m, 17) end
local function DM(id) return M(tonumber(string.match(id, "(%d+)$")), id) end
local function close(id, k, reason, claimed, avail)
  redis.call("HDEL", OPEN, k)
  redis.call("ZREM", DUE, DM(id))
  redis.call("HINCRBY", CTR, "p", -redis.call("LLEN", E(id)))
  local m = M(redis.call("HINCRBY", CTR, "q", 1), id)
  redis.call("HSET", W(id), "c", now, "r", reason, "a", claimed and 1 or 0, "m", m)
  redis.call("ZADD", QUEUE, avail, m)
  if claimed then redis.call("ZADD", LEASED, avail, m) end
end
local REQS = B..":reqs"
local function remember(req)
  if req == "" then return true end
  redis.call("ZREMRANGEBYSCORE", REQS, "-inf", "("..(now - 60000))
  return redis.call("ZADD", REQS, "NX", now, req) == 1
end
local function held(id, attempt)
  local f = redis.call("HMGET", W(id), "m", "a")
  local m = f[1]
  if m and tonumber(f[2]) == attempt and redis.call("ZSCORE", LEASED, m) then return m end
  return nil
end
local function emit(r, id)
  local f = redis.call("HMGET", W(id), "k", "o", "c", "r", "a")
  local items = redis.call("LRANGE", E(id), 0, -1)
  local n = #r
  r[n+1], r[n+2], r[n+3], r[n+4], r[n+5], r[n+6], r[n+7] = id, f[1], f[2], f[3], f[4], f[5], #items
  for i = 1, #items do r[n+7+i] = items[i] end
end
`;

/** A script: the shared prelude, then `body`. Keep `body` free of backslashes and `${`. */
export function script(name: string, sha: string, body: string): RedisScript {
  return { name, source: PRELUDE + body, sha };
}
